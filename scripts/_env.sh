# Shared set-up for scripts/start.sh and scripts/test.sh: system libraries (when run as root on
# Debian), the virtual environment in .venv, and its pinned Python packages. Sourced, not run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Qt's runtime libraries (offscreen and X11), the fonts the window and memos use, a virtual
# screen for machines without one, pdftoppm for looking at memos, and NSIS and Wine to build the
# Windows installers (NSIS, and the MSI with wixl) and try them silently (tests/packaging); PostgreSQL
# for the county register's tests and scripts/register.sh.
APT_PACKAGES=(
  libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libxkbcommon0 libdbus-1-3 fonts-dejavu-core
  xvfb xauth libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxcb-shm0 libxcb-sync1
  poppler-utils nsis wine64 msitools wixl postgresql
)

install_system_packages() {
  command -v dpkg >/dev/null 2>&1 || return 0
  local missing=() package
  for package in "${APT_PACKAGES[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "missing system packages (install as administrator): sudo apt-get install ${missing[*]}" >&2
  fi
}

make_venv() {
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$1"
}
