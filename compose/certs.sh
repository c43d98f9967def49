#!/bin/sh
# One-shot, as root with CHOWN only: the dev CA (created on the first run) issues the certificates of Kafka,
# PostgreSQL and Vault, and each gets a copy of its key owned by the user its image runs as.
set -eu
java -jar /opt/amtbus/amtbus.jar cert issue --name kafka --dns kafka --out /certs/kafka
java -jar /opt/amtbus/amtbus.jar cert issue --name postgres --dns postgres --out /certs/postgres
java -jar /opt/amtbus/amtbus.jar cert issue --name vault --dns vault --out /certs/vault
for d in kafka postgres vault; do cp /var/lib/amtbus/tls/ca.crt /certs/$d/ca.crt; done
cat /certs/kafka/kafka.key /certs/kafka/kafka.crt > /certs/kafka/kafka.pem
chown -R 1000:1000 /certs/kafka          # apache/kafka runs as appuser (1000)
chown -R 999:999 /certs/postgres         # postgres (999)
chown -R 100:1000 /certs/vault           # vault (100)
chmod 0600 /certs/kafka/kafka.key /certs/kafka/kafka.pem /certs/postgres/postgres.key /certs/vault/vault.key
chown -R 10001:10001 /var/lib/amtbus
