# Shared set-up for scripts/run, scripts/test and scripts/bench: install what is missing.
# Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
# need_apt PACKAGE... : installs the Debian/Ubuntu packages that are not installed yet.
need_apt() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  if [ "$APT_UPDATED" -eq 0 ]; then
    as_root apt-get update -qq
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# need_rust: cargo with rustfmt and clippy.
need_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    [ -x "$HOME/.cargo/bin/cargo" ] || {
      need_apt curl ca-certificates build-essential
      say "installing Rust with rustup"
      curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    }
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  command -v cc >/dev/null 2>&1 || need_apt build-essential
  # The bundled SQLCipher builds OpenSSL from source, which needs perl and make.
  command -v perl >/dev/null 2>&1 && command -v make >/dev/null 2>&1 || need_apt perl make
  if command -v rustup >/dev/null 2>&1; then
    cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
    cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
  fi
}

# need_node: Node.js and npm for the UI build (Debian's packages when missing).
need_node() {
  command -v npm >/dev/null 2>&1 || need_apt nodejs npm
  # Vite 7 needs Node.js 20.19 or newer; say so plainly rather than fail inside the build.
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" -lt 20 ]; then
    echo "Node.js $(node --version) is too old for the UI build: install Node.js 20 or newer" >&2
    exit 1
  fi
}

# need_desktop_build: what compiling the Tauri app needs (WebKitGTK and friends).
need_desktop_build() {
  need_apt libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libsoup-3.0-dev pkg-config build-essential file
}

# build_ui: installs the UI's npm packages exactly as locked and builds ui/dist, but only when
# the UI's sources changed since the last build: a rebuilt dist/ makes Cargo embed it again and
# relink the app. The stamp is a hash of the files, not their times, which a checkout resets.
build_ui() {
  need_ui_packages
  local stamp
  stamp=$(ui_sources_hash)
  if [ -f ui/dist/index.html ] && [ "$(cat target/ui-dist.sources 2>/dev/null)" = "$stamp" ]; then
    return 0
  fi
  say "building the UI"
  npm --prefix ui run --silent build >/dev/null
  mkdir -p target
  echo "$stamp" >target/ui-dist.sources
}

# need_ui_packages: the UI's npm packages (the Tauri CLI among them), exactly as locked.
need_ui_packages() {
  need_node
  if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    say "npm ci (ui)"
    npm --prefix ui ci --no-audit --no-fund --loglevel=error
  fi
}

# ui_sources_hash: one hash over every file the UI build reads (not node_modules, not dist).
ui_sources_hash() {
  (cd ui && find . \( -path ./node_modules -o -path ./dist \) -prune -o -type f -print0 \
    | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

# need_tauri_driver: the WebDriver bridge for the desktop app (2.x: 3.0 is an alpha).
need_tauri_driver() {
  if ! tauri-driver --help >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
    say "installing tauri-driver 2.x"
    cargo install tauri-driver --version "^2" --locked --quiet
  fi
  export PATH="$HOME/.cargo/bin:$PATH"
}

# tauri_cli ARGS...: the Tauri CLI from the UI's npm packages (it ships its own binary).
tauri_cli() {
  ui/node_modules/.bin/tauri "$@"
}

# build_app: the release desktop binary with the UI served from inside it, built exactly as the
# installers build it (`tauri build`, features from tauri.conf.json), so that scripts/run,
# scripts/test and the bundles share one build and never undo each other's.
build_app() {
  need_desktop_build
  build_ui
  say "building ldn-intake (release)"
  tauri_cli build --ci --no-bundle >/dev/null
}

# build_e2e_app: the same, with the test-hooks feature, for the end-to-end tests only.
build_e2e_app() {
  need_desktop_build
  build_ui
  say "building ldn-intake with test hooks (release)"
  tauri_cli build --ci --no-bundle --features test-hooks >/dev/null
}

# need_venv DIR PACKAGE==VERSION...: a Python virtual environment in target/DIR/venv holding
# exactly these PyPI packages, made again when the list changes. Sets VENV to its folder.
need_venv() {
  need_apt python3 python3-venv
  VENV="$ROOT/target/$1/venv"
  shift
  local want="$*"
  if [ "$(cat "$VENV/installed" 2>/dev/null)" != "$want" ]; then
    say "installing $want (Python, in ${VENV#"$ROOT"/})"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "$@"
    echo "$want" >"$VENV/installed"
  fi
}

# need_check_jsonschema: check-jsonschema, which carries SchemaStore's schemas for GitHub
# workflows. Sets CHECK_JSONSCHEMA.
need_check_jsonschema() {
  need_venv check-jsonschema check-jsonschema==0.39.0
  CHECK_JSONSCHEMA="$VENV/bin/check-jsonschema"
}

# need_fhir_python: a Python with fhir.resources (the R4B models that validate what `ldn fhir`
# writes) and Selenium (to drive LHC-Forms in Chromium). Sets FHIR_PYTHON.
need_fhir_python() {
  need_venv fhir-tools fhir.resources==8.3.0 selenium==4.51.0
  FHIR_PYTHON="$VENV/bin/python"
}
