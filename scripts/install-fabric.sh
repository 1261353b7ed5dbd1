#!/usr/bin/env bash
# Installs Hyperledger Fabric's programs into the git-ignored .fabric/ folder, built from the Go module proxy.
#
#   .fabric/bin/{peer,orderer,configtxgen,cryptogen,osnadmin}
#   .fabric/builders/ccaas/bin/{detect,build,release}   (the chaincode-as-a-service external builder)
#   .fabric/installed                                   (stamp: pinned commit + module dir, makes re-runs instant)
#
# Fabric is pinned to v2.5.16 by commit: Fabric's go.mod has no /v2 suffix, so its v2 tags are not valid Go module
# versions and only a commit (resolved by the proxy to a pseudo-version) selects the release.
# The peer's and orderer's base configuration is NOT copied here: scripts/network.sh reads the module's
# sampleconfig/ at run time (path recorded in the stamp) and overrides it with environment variables.
#
# Exit codes: 0 installed (or already installed), 2 Go missing, 3 the module proxy refused Fabric, 4 a build failed.
set -euo pipefail

readonly FABRIC_MODULE=github.com/hyperledger/fabric
readonly FABRIC_VERSION=v2.5.16
readonly FABRIC_COMMIT=f871cf92a026aba7b12e6f06d71ded3e6e659d71
readonly FABRIC_CMDS=(peer orderer configtxgen cryptogen osnadmin)
readonly CCAAS_CMDS=(detect build release)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FABRIC_HOME="${FABRIC_HOME:-$ROOT/.fabric}"
BIN_DIR="$FABRIC_HOME/bin"
CCAAS_BIN_DIR="$FABRIC_HOME/builders/ccaas/bin"
STAMP="$FABRIC_HOME/installed"

log() { printf '[install-fabric %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() {
  local code="$1"
  shift
  printf '[install-fabric] ERROR: %s\n' "$*" >&2
  exit "$code"
}

all_binaries_present() {
  local cmd
  for cmd in "${FABRIC_CMDS[@]}"; do [[ -x "$BIN_DIR/$cmd" ]] || return 1; done
  for cmd in "${CCAAS_CMDS[@]}"; do [[ -x "$CCAAS_BIN_DIR/$cmd" ]] || return 1; done
}

# Fast path: the stamp names the pinned commit and every program is still there.
if [[ -f "$STAMP" ]] && grep -qx "commit=$FABRIC_COMMIT" "$STAMP" && all_binaries_present; then
  log "Fabric $FABRIC_VERSION ($FABRIC_COMMIT) already installed in $FABRIC_HOME"
  exit 0
fi

command -v go >/dev/null 2>&1 || die 2 "Go is not on PATH; Fabric's programs are built from source with Go (1.23 or newer)."
log "using $(go version)"
log "installing Fabric $FABRIC_VERSION ($FABRIC_COMMIT) into $FABRIC_HOME"

# Resolve and download the module first: it yields sampleconfig/'s location and, when the proxy refuses the module,
# a clear message instead of a `go install` error about the first package path it tried.
log "resolving $FABRIC_MODULE@$FABRIC_COMMIT through GOPROXY=$(go env GOPROXY)"
if ! download_json="$(go mod download -json "$FABRIC_MODULE@$FABRIC_COMMIT" 2>&1)" ||
  grep -q '"Error"' <<<"$download_json"; then
  printf '%s\n' "$download_json" >&2
  die 3 "the Go module proxy did not serve $FABRIC_MODULE@$FABRIC_COMMIT (see above). Fabric and several of its
  dependencies (e.g. github.com/hyperledger/fabric-protos-go-apiv2, github.com/IBM/idemix) must be reachable through
  GOPROXY; nothing was installed."
fi
module_dir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$download_json")"
module_version="$(sed -n 's/^[[:space:]]*"Version": "\(.*\)",\{0,1\}$/\1/p' <<<"$download_json")"
[[ -d "$module_dir/sampleconfig" ]] || die 4 "downloaded module has no sampleconfig/ at '$module_dir'"
log "module $FABRIC_MODULE@$module_version in $module_dir"

mkdir -p "$BIN_DIR" "$CCAAS_BIN_DIR"

# One `go install` for all five programs lets Go build their shared packages once; peer dominates (minutes on 2 cores).
pkgs=()
for cmd in "${FABRIC_CMDS[@]}"; do pkgs+=("$FABRIC_MODULE/cmd/$cmd@$FABRIC_COMMIT"); done
log "building ${FABRIC_CMDS[*]} (the peer takes several minutes on 2 cores)"
start=$SECONDS
GOBIN="$BIN_DIR" go install "${pkgs[@]}" || die 4 "go install of ${FABRIC_CMDS[*]} failed"
log "built ${FABRIC_CMDS[*]} in $((SECONDS - start))s"

# The ccaas builder is a nested module (ccaas_builder/go.mod); the same commit selects the matching pseudo-version.
pkgs=()
for cmd in "${CCAAS_CMDS[@]}"; do pkgs+=("$FABRIC_MODULE/ccaas_builder/cmd/$cmd@$FABRIC_COMMIT"); done
log "building the ccaas external builder (${CCAAS_CMDS[*]})"
start=$SECONDS
GOBIN="$CCAAS_BIN_DIR" go install "${pkgs[@]}" || die 4 "go install of the ccaas builder failed"
log "built the ccaas builder in $((SECONDS - start))s"

all_binaries_present || die 4 "a program is missing after the build"
"$BIN_DIR/peer" version >/dev/null || die 4 "the built peer does not run"

{
  echo "commit=$FABRIC_COMMIT"
  echo "version=$FABRIC_VERSION"
  echo "module_version=$module_version"
  echo "module_dir=$module_dir"
} >"$STAMP"
log "done: Fabric $FABRIC_VERSION in $BIN_DIR, ccaas builder in $CCAAS_BIN_DIR"
