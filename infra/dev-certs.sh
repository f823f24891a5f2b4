#!/usr/bin/env sh
# A self-signed certificate for the root domain and every subdomain, for running
# infra/compose.yaml locally. Production certificates come from a real authority
# (AWS: ACM's wildcard certificate on the load balancer).
#
#   infra/dev-certs.sh [ROOT_DOMAIN] [DIRECTORY]
#   defaults: $SUKOWATI_ROOT_DOMAIN or sukowati.localhost, and infra/certs
#
# Writes DIRECTORY/fullchain.pem and DIRECTORY/privkey.pem (the names compose
# mounts). Browsers warn until fullchain.pem is trusted on the machine.
set -eu

root_domain="${1:-${SUKOWATI_ROOT_DOMAIN:-sukowati.localhost}}"
directory="${2:-$(dirname "$0")/certs}"

mkdir -p "$directory"
umask 077
openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 365 \
  -keyout "$directory/privkey.pem" -out "$directory/fullchain.pem" \
  -subj "/CN=$root_domain" \
  -addext "subjectAltName=DNS:$root_domain,DNS:*.$root_domain" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign" \
  -addext "extendedKeyUsage=serverAuth"
# nginx's master process reads the key as root; the certificate is public.
chmod 644 "$directory/fullchain.pem"
echo "Wrote $directory/fullchain.pem and privkey.pem for $root_domain and *.$root_domain"
