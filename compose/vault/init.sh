#!/bin/sh
# One-shot: initialise (first run) and unseal Vault, then make sure amtbus has what it needs:
#  - KV v2 at secret/, the policy 'amtbus' (only secret/data/amtbus/* and its metadata);
#  - AppRole 'amtbus' with the fixed, non-secret role id 'amtbus' and a fresh secret id written to
#    /approle/secret-id (mounted read-only into the amtbus services);
#  - the PostgreSQL password: random, in Vault at secret/amtbus/database/password (as amtbus stores values:
#    base64 under 'value') and in /pg/password for the postgres container's first start.
# The unseal key and root token stay on the vault-init volume, which nothing else mounts.
set -eu
export VAULT_ADDR=https://vault:8200 VAULT_CACERT=/certs/ca.crt
until vault status -format=json >/dev/null 2>&1 || [ $? -eq 2 ]; do sleep 1; done
if [ ! -f /init/unseal-key ]; then
  umask 077
  vault operator init -key-shares=1 -key-threshold=1 -format=json > /init/init.json
  sed -n 's/.*"unseal_keys_b64": *\[ *"\([^"]*\)".*/\1/p' /init/init.json | head -1 > /init/unseal-key
  sed -n 's/.*"root_token": *"\([^"]*\)".*/\1/p' /init/init.json > /init/root-token
  rm /init/init.json
fi
vault operator unseal "$(cat /init/unseal-key)" >/dev/null
VAULT_TOKEN=$(cat /init/root-token); export VAULT_TOKEN
vault secrets list | grep -q '^secret/' || vault secrets enable -path=secret kv-v2
vault auth list | grep -q '^approle/' || vault auth enable approle
cat > /tmp/amtbus.hcl <<'POLICY'
path "secret/data/amtbus/*"     { capabilities = ["create", "read", "update", "delete"] }
path "secret/metadata/amtbus/*" { capabilities = ["list", "read", "delete"] }
path "secret/metadata/amtbus"   { capabilities = ["list"] }
POLICY
vault policy write amtbus /tmp/amtbus.hcl
vault write auth/approle/role/amtbus token_policies=amtbus token_ttl=1h token_max_ttl=24h secret_id_ttl=0
vault write auth/approle/role/amtbus/role-id role_id=amtbus
umask 027
vault write -f -field=secret_id auth/approle/role/amtbus/secret-id > /approle/secret-id
if ! vault kv get secret/amtbus/database/password >/dev/null 2>&1; then
  umask 077
  head -c 24 /dev/urandom | base64 | tr -d '\n/+=' > /pg/password
  vault kv put secret/amtbus/database/password value="$(base64 < /pg/password | tr -d '\n')" >/dev/null
fi
echo "vault-init: unsealed; approle amtbus ready"
