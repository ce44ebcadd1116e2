#!/usr/bin/env bash
# A county register to try, with one command: Debian's PostgreSQL (installed here when run as root)
# in a folder of its own, run as the postgres user, listening on 127.0.0.1 only; then `register init`,
# and the URL to give `main.py register … --db URL` (or SAFEDESK_REGISTER_URL). Run it again and it
# starts the same register. For a county's own server, see packaging/DEPLOYMENT.md.
#
#   SAFEDESK_REGISTER_DIR         its folder (default: ~/.local/share/safedesk-register)
#   SAFEDESK_REGISTER_PORT        its port on 127.0.0.1 (default: 5433)
#   SAFEDESK_REGISTER_PASSPHRASE  the register key's passphrase (else typed at the prompt)
#   bash scripts/register.sh stop  stops it
set -euo pipefail
cd "$(dirname "$0")/.."
folder="${SAFEDESK_REGISTER_DIR:-$HOME/.local/share/safedesk-register}"
port="${SAFEDESK_REGISTER_PORT:-5433}"

server_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(server_bin)" ] || [ ! -x "$(server_bin)/initdb" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing PostgreSQL (Debian's postgresql)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  else
    echo "PostgreSQL is not installed: sudo apt-get install postgresql" >&2
    exit 1
  fi
fi
bin="$(server_bin)"

# initdb refuses to run as root: as root the server is the postgres user's, in a folder it owns.
as_server() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

data="$folder/data"
if [ "${1:-}" = "stop" ]; then
  as_server "$bin/pg_ctl" -D "$data" -m fast -w stop
  exit 0
fi

if [ ! -x .venv/bin/python ]; then
  source scripts/_env.sh
  make_venv requirements.txt
fi

mkdir -p "$folder/sockets"
chmod 700 "$folder"
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$folder" "$folder/sockets"; fi
secret="$folder/superuser-password"
if [ ! -f "$data/PG_VERSION" ]; then
  umask 077
  as_server sh -c "head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > '$secret'"
  as_server "$bin/initdb" -D "$data" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
    --pwfile="$secret" -E UTF8 >/dev/null
fi
if ! as_server "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  as_server "$bin/pg_ctl" -D "$data" -l "$folder/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$folder/sockets" start >/dev/null
fi
password="$(as_server cat "$secret")"
url="postgresql://postgres:$password@127.0.0.1:$port/safedesk"
if ! PGPASSWORD="$password" as_server "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = 'safedesk'" | grep -q 1; then
  PGPASSWORD="$password" as_server "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres safedesk
fi
.venv/bin/python main.py register init --db "$url"
echo
echo "the county register: $url"
echo "(its owner's password is in $secret; stop it with: bash scripts/register.sh stop)"
