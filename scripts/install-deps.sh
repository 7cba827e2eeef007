#!/usr/bin/env bash
# Installs what Tillit needs to build, run and test on Debian 12, and only what
# is missing: running it again changes nothing. Sources: Debian's packages and
# the crate, npm and Python package registries, nothing else.
#
#   scripts/install-deps.sh run    build and run the app
#   scripts/install-deps.sh test   also everything the tests need
#   scripts/install-deps.sh bench  also what the benchmarks compare with (Chromium)
#   scripts/install-deps.sh fuzz   also cargo-fuzz (make fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."

purpose=${1:-run}
case "$purpose" in run|test|bench|fuzz) ;; *) echo "usage: $0 run|test|bench|fuzz" >&2; exit 2 ;; esac

say() { printf '==> %s\n' "$*"; }

# --- Debian packages ----------------------------------------------------------
run_packages=(
  build-essential pkg-config curl wget file
  libwebkit2gtk-4.1-dev libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev
  fonts-dejavu-core
)
# PostgreSQL: the tests of the team server's PostgreSQL store run a throwaway
# cluster (scripts/with-postgres.sh).
# LibreOffice (without its GUI): the questionnaire test opens and saves a
# returned workbook as a supplier's spreadsheet program would.
test_packages=(xvfb xauth xdotool webkit2gtk-driver poppler-utils postgresql libreoffice-calc-nogui)
bench_packages=(chromium)

wanted=("${run_packages[@]}")
[ "$purpose" != run ] && wanted+=("${test_packages[@]}")
[ "$purpose" = bench ] && wanted+=("${bench_packages[@]}")
command -v node >/dev/null 2>&1 || wanted+=(nodejs npm)
python3 -m venv --help >/dev/null 2>&1 || wanted+=(python3 python3-venv)

missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  say "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Rust ---------------------------------------------------------------------
if ! command -v cargo >/dev/null 2>&1; then
  echo "Rust is missing: install a Rust toolchain (1.89 or newer, e.g. with rustup) and run this again." >&2
  exit 1
fi
for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1 && command -v rustup >/dev/null 2>&1; then
    say "adding the Rust component $component"
    rustup component add "$component"
  fi
done

# --- npm packages of the UI ---------------------------------------------------
# Installed from package-lock.json, again only when the lock file changed since
# the last install. `npm install` rather than `npm ci`: the lock records no
# entry for another platform's build of the Tauri CLI when the registry does
# not have it at the locked version, which `npm ci` refuses and `npm install`
# rightly skips.
stamp_npm=ui/node_modules/.tillit-lock
if [ ! -f "$stamp_npm" ] || ! cmp -s ui/package-lock.json "$stamp_npm"; then
  say "installing the UI's npm packages"
  (cd ui && npm install --no-fund --no-audit --loglevel=error)
  cp ui/package-lock.json "$stamp_npm"
fi

[ "$purpose" = run ] && exit 0

# --- cargo tools: tauri-driver (WebDriver for the real app window), cargo-deny
# (the licence, ban and source check), cargo-fuzz (make fuzz) ---------------
cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
cargo_tool() { # program, crate, version requirement
  if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "$cargo_bin/$1" ]; then
    say "installing $2 from crates.io"
    cargo install "$2" --version "$3" --locked --quiet
  fi
}
cargo_tool tauri-driver tauri-driver "^2"
cargo_tool cargo-deny cargo-deny "^0.20"
[ "$purpose" = fuzz ] && cargo_tool cargo-fuzz cargo-fuzz "^0.13"

# --- Python packages of the e2e tests ----------------------------------------
venv=e2e/.venv
stamp=$venv/.requirements
if [ ! -x $venv/bin/python ] || ! cmp -s e2e/requirements.txt "$stamp"; then
  say "installing the e2e tests' Python packages"
  python3 -m venv $venv
  $venv/bin/pip install --quiet --disable-pip-version-check -r e2e/requirements.txt
  cp e2e/requirements.txt "$stamp"
fi
