# Where the window of scripts/start.sh goes on a Linux machine with no screen. Sourced, not run.

# True (0) when there is no screen to open a window on: Linux with no X, no Wayland, no Qt platform set.
no_screen() {
  [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}${QT_QPA_PLATFORM:-}" ]
}

# One line on standard error, for a start that would open the window where nobody sees it: where the window
# is, and what to run instead. Quiet when the arguments already name a command or the self-test.
say_where_the_window_is() {
  local arg value=""
  for arg in "$@"; do
    if [ -n "$value" ]; then
      value=""
      continue
    fi
    case "$arg" in
      --self-test | --help | -h) return 0 ;;
      --data-dir | --user | --policy | --new-log) value=1 ;; # the next word is its value
      -*) ;;
      *) return 0 ;; # a command: the command line, no window
    esac
  done
  if command -v xvfb-run >/dev/null 2>&1; then
    echo "No screen here: the window opens on an invisible virtual screen (Xvfb); press Ctrl+C, then run 'bash scripts/start.sh --self-test' to check the desk or '.venv/bin/python main.py --help' for the command line." >&2
  else
    echo "No screen here, so no window can open; run 'bash scripts/start.sh --self-test' to check the desk or '.venv/bin/python main.py --help' for the command line." >&2
  fi
}
