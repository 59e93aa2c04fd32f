#!/usr/bin/env bash
# Prepares this host for kind, idempotently: Debian packages the build needs, inotify limits that
# hold several kind clusters, Docker's engine with the capability-fixing runtime wrapper as its
# default runtime, and a running dockerd.
# A dockerd that already answers is never restarted.
#
#   setup.sh           the above
#   setup.sh browser   only Debian's chromium: the project's own tests open the HTML report in it
#
# Exit codes: 0 ready, 2 the host could not be prepared (the one-line error says what to try).
set -euo pipefail

HOST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PACKAGES=(docker.io debootstrap busybox-static jq pigz shellcheck)
WRAPPER=/usr/local/sbin/sts-runc
DAEMON_JSON=/etc/docker/daemon.json
DOCKERD_LOG=/var/log/sts-dockerd.log

fail() {
  printf 'host setup: %s\n' "$1" >&2
  exit 2
}
say() { printf '[host] %s\n' "$*"; }

install_packages() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return 0
  [[ $(id -u) == 0 ]] || fail "packages ${missing[*]} are missing and installing them needs root: run this as root"
  say "installing ${missing[*]} …"
  apt-get update -qq >/tmp/sts-apt.log 2>&1 || fail "apt-get update failed (is the Debian mirror reachable?): see /tmp/sts-apt.log"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >>/tmp/sts-apt.log 2>&1 ||
    fail "apt-get install ${missing[*]} failed: see /tmp/sts-apt.log"
}

# Every kind node's systemd, containerd and kubelet take inotify instances from root's one budget
# (default 128): with a second cluster on the host, new nodes' kubelets fail and stay NotReady.
# The limits kind's known issues recommend; raised only, never lowered.
raise_inotify_limits() {
  local key want have
  for key in fs.inotify.max_user_instances=512 fs.inotify.max_user_watches=524288; do
    want=${key#*=} key=${key%=*}
    have=$(sysctl -n "$key")
    ((have >= want)) && continue
    [[ $(id -u) == 0 ]] || fail "$key is $have, below the $want kind nodes need: run this as root, or sysctl -w $key=$want"
    sysctl -qw "$key=$want" || fail "sysctl -w $key=$want failed"
    say "raised $key from $have to $want"
  done
}

# Docker's default runtime must be the wrapper, or every privileged kind node fails to start here.
configure_docker() {
  install -m 0755 "$HOST_DIR/runc-wrapper.sh" "$WRAPPER"
  mkdir -p /etc/docker /lib/modules # kind bind-mounts /lib/modules, which this VM lacks
  local want
  want=$(jq -n --arg w "$WRAPPER" '{"runtimes": {"sts-runc": {"path": $w}}, "default-runtime": "sts-runc", "storage-driver": "overlay2"}')
  if [[ ! -f $DAEMON_JSON ]] || [[ $(jq -S . "$DAEMON_JSON" 2>/dev/null) != $(jq -S . <<<"$want") ]]; then
    if docker info >/dev/null 2>&1; then
      fail "dockerd is running without the sts-runc runtime that kind nodes need here: stop it (pkill dockerd) and re-run; $DAEMON_JSON will be rewritten"
    fi
    echo "$want" >"$DAEMON_JSON"
  fi
}

start_dockerd() {
  if docker info >/dev/null 2>&1; then
    docker info --format '{{.DefaultRuntime}}' | grep -qx sts-runc ||
      fail "dockerd is running without the sts-runc default runtime: stop it (pkill dockerd) and re-run"
    return 0
  fi
  say "starting dockerd (log: $DOCKERD_LOG) …"
  setsid nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
  local i
  for ((i = 0; i < 60; i++)); do
    docker info >/dev/null 2>&1 && return 0
    kill -0 $! 2>/dev/null || fail "dockerd exited at start: see the end of $DOCKERD_LOG"
    sleep 1
  done
  fail "dockerd did not answer within 60 s: see $DOCKERD_LOG"
}

check_docker() {
  local driver cgroup
  driver=$(docker info --format '{{.Driver}}')
  [[ $driver == overlay2 ]] || fail "docker uses the '$driver' storage driver, not overlay2: kind nodes would be far too slow; put /var/lib/docker on a real filesystem"
  cgroup=$(docker info --format '{{.CgroupVersion}}')
  docker run --rm --privileged --entrypoint /bin/true "${1}" >/dev/null 2>&1 ||
    fail "a privileged container does not start: see $DOCKERD_LOG and 'docker run --rm --privileged ${1} /bin/true'"
  say "docker ready (storage $driver, cgroup v$cgroup, runtime sts-runc)"
}

# The smallest local image to prove privileged containers start: busybox from Debian's package.
probe_image() {
  local tag=sts.local/host-probe:1
  if ! docker image inspect "$tag" >/dev/null 2>&1; then
    local dir
    dir=$(mktemp -d)
    mkdir -p "$dir/bin" && cp /bin/busybox "$dir/bin/busybox" && ln -s busybox "$dir/bin/true"
    tar -C "$dir" -c . | docker import - "$tag" >/dev/null
    rm -rf "$dir"
  fi
  echo "$tag"
}

if [[ ${1:-} == browser ]]; then
  install_packages chromium
  exit 0
fi
install_packages "${PACKAGES[@]}"
raise_inotify_limits
configure_docker
start_dockerd
check_docker "$(probe_image)"
