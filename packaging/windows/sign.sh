#!/usr/bin/env bash
# Authenticode-signs one Windows file in place with osslsigncode, for signing on Linux; usable as SIGN_CMD:
#   python packaging/build.py --skip-build --installer --sign-cmd "bash $PWD/packaging/windows/sign.sh"
# (an absolute path: makensis runs SIGN_CMD from packaging/windows/).
# The key: SIGN_PKCS12 (a .pfx) with SIGN_PASSWORD, or SIGN_CERT + SIGN_KEY (PEM files).
# Always timestamp (SIGN_TIMESTAMP_URL, an RFC 3161 server; needs the network at signing time) so the signature
# outlives the certificate. SIGN_NO_TIMESTAMP=1 skips it, for throwaway test certificates only.
set -euo pipefail
file=${1:?usage: sign.sh FILE}
args=(sign -h sha256 -n "Safe Communities Desk")
if [ -n "${SIGN_PKCS12:-}" ]; then
  args+=(-pkcs12 "$SIGN_PKCS12" -pass "${SIGN_PASSWORD:-}")
elif [ -n "${SIGN_CERT:-}" ] && [ -n "${SIGN_KEY:-}" ]; then
  args+=(-certs "$SIGN_CERT" -key "$SIGN_KEY")
else
  echo "sign.sh: set SIGN_PKCS12 (and SIGN_PASSWORD) or SIGN_CERT and SIGN_KEY" >&2
  exit 2
fi
if [ "${SIGN_NO_TIMESTAMP:-}" != 1 ]; then
  args+=(-ts "${SIGN_TIMESTAMP_URL:?set SIGN_TIMESTAMP_URL (or SIGN_NO_TIMESTAMP=1 for a test certificate)}")
fi
# osslsigncode cannot write over its input.
osslsigncode "${args[@]}" -in "$file" -out "$file.signed" >/dev/null
mv -f "$file.signed" "$file"
echo "signed $file"
