# Vault for the compose deployment: file storage on its own volume, TLS with a certificate from amtbus's CA.
# Production: use auto-unseal (a cloud KMS or an HSM) instead of the stored unseal key of vault-init.
storage "file" {
  path = "/vault/file"
}
listener "tcp" {
  address         = "0.0.0.0:8200"
  tls_cert_file   = "/certs/vault.crt"
  tls_key_file    = "/certs/vault.key"
  tls_min_version = "tls13"
}
api_addr      = "https://vault:8200"
disable_mlock = true
ui            = false
