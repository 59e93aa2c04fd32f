#!/usr/bin/env bash
# Builds every image a kind cluster needs, with no container registry: Go programs from the module
# proxy, userland from Debian packages. Every step is cached by a content key outside the repo
# (STS_CACHE_DIR, default /var/cache/sts-conformance), so a warm re-run takes seconds.
#
#   harness/images/build.sh            build (or confirm) everything; prints the node image name last
#   harness/images/build.sh --print    print the node image name if it is built, else exit 1
#   harness/images/build.sh GROUP...   only these step groups (binaries, rootfs, images, node; upgrade:
#                                      the payload `cluster upgrade --to` stages on a running cluster;
#                                      suite: the suite's own image and Sonobuoy's, to run in-cluster;
#                                      prod: the registry and load balancer of `cluster up --shape prod`)
#
# STS_KUBERNETES_VERSION=vX.Y.Z builds that Kubernetes instead of the pinned one; each version's
# binaries, images and node image are cached side by side.
#
# With STS_GO_BINARIES_FROM=DIR (another build cache), a compiled Go program DIR holds at the same
# key is taken from there (hard links) instead of compiled, and one compiled here is left there:
# CI starts the CLI on an empty cache, as a newcomer does, without paying the Go compile each run.
#
# Exit codes: 0 built, 2 the machine is not ready (docker, disk), 3 a build step failed.
set -euo pipefail

IMAGES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE_DIR=${STS_CACHE_DIR:-/var/cache/sts-conformance}

set -a
# shellcheck source=versions.env
source "$IMAGES_DIR/versions.env"
KUBERNETES_VERSION=${STS_KUBERNETES_VERSION:-$KUBERNETES_VERSION}
set +a
# The oldest minor kind-config.yaml's kubelet settings (failCgroupV1) are known to.
if [[ ! $KUBERNETES_VERSION =~ ^v1\.([0-9]+)\.[0-9]+$ ]] || ((BASH_REMATCH[1] < 31)); then
  printf 'images: Kubernetes "%s" is not a release this build makes: give vX.Y.Z, v1.31.0 or later\n' "$KUBERNETES_VERSION" >&2
  exit 2
fi
NODE_IMAGE_FILE="$CACHE_DIR/node-image-$KUBERNETES_VERSION"

if [[ ${1:-} == --print ]]; then
  [[ -s $NODE_IMAGE_FILE ]] && docker image inspect "$(cat "$NODE_IMAGE_FILE")" >/dev/null 2>&1 || exit 1
  cat "$NODE_IMAGE_FILE"
  exit 0
fi
# shellcheck source=lib/step.sh
source "$IMAGES_DIR/lib/step.sh"
# shellcheck source=lib/go.sh
source "$IMAGES_DIR/lib/go.sh"
for f in "$IMAGES_DIR"/steps/*.sh; do
  # shellcheck source=/dev/null
  source "$f"
done

# The nearest existing folder at or above the cache dir: where its free space is measured.
existing_parent() {
  local d=$1
  while [[ ! -d $d ]]; do d=$(dirname "$d"); done
  echo "$d"
}

preflight() {
  command -v go >/dev/null || fail_env "Go is not installed: install Go >= 1.24 (the Go toolchain from go.dev or Debian), then re-run"
  local free_gb need_gb=15 what="a cold build"
  # Compiling Kubernetes (its module and build caches) is most of a cold build's footprint; with
  # it compiled (here or in STS_GO_BINARIES_FROM), the root filesystems, images, node image and
  # upgrade payload fit in a few GB.
  if [[ -f "$ARTIFACTS/$(k8s_step)/.key" || -f "${STS_GO_BINARIES_FROM:-/nonexistent}/artifacts/$(k8s_step)/.key" ]]; then
    need_gb=4 what="a build with Kubernetes $KUBERNETES_VERSION compiled"
  fi
  free_gb=$(df -P --block-size=1G "$(existing_parent "$CACHE_DIR")" | awk 'NR==2 {print $4}')
  ((free_gb >= need_gb)) || fail_env "only ${free_gb} GB free near $CACHE_DIR; $what needs about $need_gb GB: free disk space, then re-run"
  for tool in jq debootstrap; do
    command -v "$tool" >/dev/null || fail_env "$tool is missing: run harness/host/setup.sh (installs the host packages), then re-run"
  done
  kubernetes_served
}

# A Kubernetes not yet built here must be a release the module proxy serves and its checksum
# database verifies: asked once, before any step runs, so a wrong version is one line.
kubernetes_served() {
  [[ ! -f "$ARTIFACTS/$(k8s_step)/.key" ]] || return 0
  local out err
  out=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" 2>&1) && return 0
  err=$(jq -r '.Error // empty' <<<"$out" 2>/dev/null) || true
  err=${err:-$(tail -n1 <<<"$out")}
  err=$(tr -s '\n\t ' ' ' <<<"$err") # one line
  if grep -qiE 'dial tcp|i/o timeout|connection refused|TLS handshake|no such host' <<<"$err"; then
    fail_env "the Go module proxy did not answer for k8s.io/kubernetes@$KUBERNETES_VERSION ($err): check the network and GOPROXY, then re-run"
  fi
  fail_env "Kubernetes $KUBERNETES_VERSION is not served by the Go module proxy or not verified by its checksum database (${err:0:200}): give a served release (the pinned one is in harness/images/versions.env)"
}

preflight
say "cache: $CACHE_DIR (logs in $LOGS)"
if [[ -n ${STS_GO_BINARIES_FROM:-} ]]; then
  [[ $(realpath -m "$STS_GO_BINARIES_FROM") != $(realpath -m "$CACHE_DIR") ]] ||
    fail_env "STS_GO_BINARIES_FROM=$STS_GO_BINARIES_FROM is this build's own cache; unset it or name another"
  say "compiled Go programs shared with $STS_GO_BINARIES_FROM"
fi
groups=("$@")
((${#groups[@]})) || groups=(binaries rootfs images node)
for group in "${groups[@]}"; do
  declare -F "${group}_steps" >/dev/null || fail_env "unknown step group '$group' (binaries, rootfs, images, node, upgrade, suite, prod)"
  "${group}_steps"
done
say "done"
