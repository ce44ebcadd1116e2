#!/usr/bin/env bash
# Installs everything the tests need (system packages too, when root) and runs every check and test.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -m "not gui"`.
source "$(dirname "$0")/_env.sh"
install_system_packages
make_venv requirements-dev.txt
export QT_QPA_PLATFORM=offscreen   # no display needed; tests/conftest.py sets it too
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
rc=0
.venv/bin/python -m pytest -q "$@" || rc=$?
if [ "$rc" -eq 5 ]; then echo "no tests were collected" >&2; exit 1; fi
exit "$rc"
