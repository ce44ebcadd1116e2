#!/usr/bin/env bash
# Make the backup of one schema version with that version's own code (README.md in this folder).
#
#   make-backup.sh CHECKOUT OUT_DIR NAME
#
# CHECKOUT is a throwaway worktree of this repository at the version's last commit
# (`git worktree add --detach /tmp/v COMMIT`). In a new data folder, that checkout's own main.py
# records three cases (one with a scan where the version takes scans), amends one, and makes a
# backup with its own `backup` command, written to OUT_DIR/NAME.db. A version with accounts first
# sets up an admin and an officer, who sign what they do; its desk key is kept as OUT_DIR/NAME.desk.key
# (the upgrade of a log with accounts is signed by the desk's own key, so the desk that upgrades
# the log is the one that made it). PYTHON names the interpreter (default: python3); ADMIN_PASSWORD and
# OFFICER_PASSWORD the accounts' passwords (default: those of m007 and m008, which today's password
# rules refuse for the admin, as it holds the user name).
set -euo pipefail
checkout=$(realpath "$1")
out=$(realpath "$2")
name=$3
python=${PYTHON:-python3}
admin_password=${ADMIN_PASSWORD:-Admin-Pass-2026!}
officer_password=${OFFICER_PASSWORD:-Officer-Pass-2026!}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data=$work/data
scenarios=$checkout/resources/policies/northampton-2019/scenarios
cd "$checkout"

intake() {  # the intake of one of the pack's own scenarios, with one field changed when asked
    "$python" - "$scenarios/$1.json" "$2" "${3:-}" <<'PY'
import json, sys
intake = json.load(open(sys.argv[1], encoding="utf-8"))["intake"]
if sys.argv[3]:
    intake["requester_name"] = sys.argv[3]
json.dump(intake, open(sys.argv[2], "w", encoding="utf-8"), indent=2)
PY
}
intake D02u-dhs-paper-titled-warrant-is-not-a-judicial-warrant "$work/one.json"
intake D00-cancelled-detainer-is-logged-only "$work/two.json"
intake D01-u-visa-certification-for-a-victim-is-processed "$work/three.json"
intake D02u-dhs-paper-titled-warrant-is-not-a-judicial-warrant "$work/one-corrected.json" \
    "Deportation Officer J. ROE, ICE ERO (Hadley)"

"$python" - "$work/scan.png" <<'PY'
import struct, sys, zlib
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
rows = b"".join(b"\x00" + bytes([200, 200, 200]) * 8 for _ in range(8))  # 8x8 grey, filter 0 per row
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY

help=$("$python" main.py --help)
scan=()
if "$python" main.py record --help | grep -q -- "--scan"; then
    scan=(--scan "$work/scan.png")
fi
if grep -q " setup " <<<"$help"; then  # accounts: the admin sets the desk up and adds an officer
    export SAFEDESK_NEW_PASSWORD="$admin_password"
    "$python" main.py --data-dir "$data" setup --admin admin --name "A. ADMIN" --badge 900
    export SAFEDESK_PASSWORD="$admin_password" SAFEDESK_NEW_PASSWORD="$officer_password"
    "$python" main.py --data-dir "$data" user add ofc.smith --name "J. SMITH" --badge 1234 --role officer --user admin
    officer=(--user ofc.smith)
    admin=(--user admin)
else
    officer=(--officer "J. SMITH #1234")
    admin=()
fi

as_officer() { SAFEDESK_PASSWORD="$officer_password" "$python" main.py --data-dir "$data" "$@"; }
first=$(as_officer record "${officer[@]}" "${scan[@]}" "$work/one.json" | sed -n 1p)  # prints its number first
as_officer record "${officer[@]}" "$work/two.json"
as_officer record "${officer[@]}" "$work/three.json"
as_officer amend "${officer[@]}" --reason "the requester's name was mistyped" "$first" "$work/one-corrected.json"

backup=(backup)
if "$python" main.py backup --help | grep -q -- "--no-encrypt"; then
    backup+=(--no-encrypt)  # a plain copy: the fixture is about the schema, not the seal
fi
SAFEDESK_PASSWORD="$admin_password" "$python" main.py --data-dir "$data" "${backup[@]}" "${admin[@]}" "$work/$name.db"
cp "$work/$name.db" "$out/$name.db"
if [ -f "$data/keys/desk.key" ]; then
    cp "$data/keys/desk.key" "$out/$name.desk.key"
fi
"$python" main.py --version
