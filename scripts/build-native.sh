#!/usr/bin/env bash
# Builds the optional SM2 addon (certs-service/native) against the OpenSSL inside the running node binary.
# - Idempotent and fast when up to date: skips when the .node file is newer than every source and node itself.
# - Never uses the network: node-gyp gets --nodedir pointing at the headers installed next to node.
# - Exits non-zero with one clear message when it cannot build; scripts/build.sh then falls back to pure-JS SM2.
set -euo pipefail
cd "$(dirname "$0")/../certs-service/native"

fail() {
  echo "build-native: $*" >&2
  exit 1
}

output=build/Release/certhub_sm2.node
node_bin=$(node -p 'process.execPath') || fail "node is not on PATH"
# Headers of this exact node (and of its bundled OpenSSL) live under <prefix>/include/node.
node_prefix=$(dirname "$(dirname "$node_bin")")

if [ -f "$output" ] && [ -z "$(find binding.gyp src "$node_bin" -newer "$output" -print -quit)" ]; then
  echo "build-native: $output is up to date"
  exit 0
fi

[ -f "$node_prefix/include/node/node_api.h" ] || fail "node headers not found in $node_prefix/include/node (install node's development headers)"
[ -f "$node_prefix/include/node/openssl/evp.h" ] || fail "node's OpenSSL headers not found in $node_prefix/include/node/openssl"
command -v cc >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || fail "no C compiler (cc/gcc) on PATH"
command -v make >/dev/null 2>&1 || fail "make is not on PATH"
command -v python3 >/dev/null 2>&1 || fail "python3 (needed by node-gyp) is not on PATH"

# Inside npm scripts npm exports its own node-gyp; otherwise use the one bundled with npm.
node_gyp=${npm_config_node_gyp:-}
if [ -z "$node_gyp" ] || [ ! -f "$node_gyp" ]; then
  npm_bin=$(command -v npm) || fail "npm is not on PATH, so its bundled node-gyp cannot be found"
  node_gyp="$(dirname "$(readlink -f "$npm_bin")")/../node_modules/node-gyp/bin/node-gyp.js"
fi
[ -f "$node_gyp" ] || fail "node-gyp not found at $node_gyp"

echo "build-native: building $output"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! node "$node_gyp" rebuild --nodedir="$node_prefix" --jobs=2 >"$log" 2>&1; then
  tail -n 25 "$log" >&2
  rm -f "$output"
  fail "node-gyp could not build the addon (log above)"
fi
# A load-and-sign self-test: a node whose OpenSSL lacks SM2 or these symbols fails here, not in production.
if ! node -e '
  const m = { exports: {} };
  process.dlopen(m, require("path").resolve(process.argv[1]));
  const a = m.exports, crypto = require("crypto");
  const d = Buffer.from("3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8", "hex");
  const p = Buffer.from("0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13", "hex");
  const id = Buffer.from("1234567812345678"), msg = crypto.randomBytes(40);
  if (!a.verify(a.createVerifier(p), id, msg, a.sign(a.createSigner(d, p), id, msg))) process.exit(3);
' "$output" >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$output"
  fail "the built addon failed its load-and-sign self-test with this node"
fi
echo "build-native: built $output"
