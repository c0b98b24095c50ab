#!/usr/bin/env bash
# Installs what the VS Code end-to-end test needs, idempotently (a second run takes ~1 s):
#   - Debian packages: chromium (the browser playwright-core drives), ripgrep, and the headers
#     code-server's native modules build against;
#   - code-server 4.100.3 from the npm registry (it bundles VS Code 1.100.3 and runs the real
#     Node extension host; @vscode/test-electron downloads from hosts these machines cannot reach);
#   - the extension's own npm dependencies (`npm ci`, locked by package-lock.json), which include
#     playwright-core.
# Everything but the apt packages lives under $SHIPSHAPE_E2E_DIR (default: <repo>/target/e2e).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
EXT="$(dirname "$HERE")"
REPO="$(cd "$EXT/../.." && pwd)"
E2E="${SHIPSHAPE_E2E_DIR:-$REPO/target/e2e}"
CS_VERSION=4.100.3
CS="$E2E/code-server-$CS_VERSION"

# 1. Debian packages (root on these machines; use sudo when not root).
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
for p in libsecret-1-dev libkrb5-dev libx11-dev libxkbfile-dev pkg-config build-essential; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ "${#need[@]}" -gt 0 ]; then
  echo "[setup] apt-get install ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# 2. code-server, pinned.
if [ ! -x "$CS/node_modules/.bin/code-server" ]; then
  echo "[setup] installing code-server@$CS_VERSION into $CS"
  rm -rf "$CS"; mkdir -p "$CS" "$E2E/tmp"
  # @vscode/ripgrep's postinstall downloads rg from a host these machines cannot reach; it first
  # looks in $TMPDIR/vscode-ripgrep-cache-1.15.11/, so seed that cache with Debian's rg.
  RG_CACHE="$E2E/tmp/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$RG_CACHE"
  tar czf "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
  echo '{"name":"shipshape-e2e-code-server","private":true}' > "$CS/package.json"
  # unsafe_perm: code-server's postinstall refuses to run as root without it.
  # yes: node-pty's postinstall runs `npx node-gyp`, which a `yes=false` npmrc would cancel.
  ( cd "$CS" && TMPDIR="$E2E/tmp" npm_config_unsafe_perm=true npm_config_yes=true \
      npm install --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION" >"$E2E/code-server-install.log" 2>&1 ) || {
    tail -n 40 "$E2E/code-server-install.log" >&2; rm -rf "$CS"; exit 1; }
fi

# 3. The extension's dependencies (esbuild, typescript, vsce, vscode-languageclient, playwright-core).
stamp="$EXT/node_modules/.shipshape-lock-hash"
hash="$(sha256sum "$EXT/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
  echo "[setup] npm ci in $EXT"
  ( cd "$EXT" && npm ci --no-audit --no-fund --loglevel=error >/dev/null )
  echo "$hash" > "$stamp"
fi
echo "[setup] ready: $CS/node_modules/.bin/code-server, chromium $(chromium --version 2>/dev/null | awk '{print $2}')"
