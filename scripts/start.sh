#!/usr/bin/env bash
# Installs what the app needs and starts it on the default data folder (arguments go to main.py,
# e.g. `--demo` for a temporary log filled with synthetic cases). On a machine with no screen the
# window opens on a virtual one (Xvfb), and one line says so and what to run instead.
source "$(dirname "$0")/_env.sh"
source scripts/_screen.sh
install_system_packages
make_venv requirements.txt
if no_screen; then
  say_where_the_window_is "$@"
  if command -v xvfb-run >/dev/null 2>&1; then
    exec xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python main.py "$@"
  fi
fi
exec .venv/bin/python main.py "$@"
