#!/usr/bin/env bash
# Installs what the app needs and starts it on the default data folder (arguments go to main.py,
# e.g. `--demo` for a temporary log filled with synthetic cases). On a machine with no screen the
# window opens on a virtual one (Xvfb).
source "$(dirname "$0")/_env.sh"
install_system_packages
make_venv requirements.txt
if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}${QT_QPA_PLATFORM:-}" ] \
    && command -v xvfb-run >/dev/null 2>&1; then
  exec xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python main.py "$@"
fi
exec .venv/bin/python main.py "$@"
