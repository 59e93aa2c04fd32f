# shellcheck shell=bash
# Step runner for the image build: content-keyed caching, progress lines, one log per step.
# Sourced by build.sh; expects CACHE_DIR and RECIPE_REVISION.

ARTIFACTS="$CACHE_DIR/artifacts"
LOGS="$CACHE_DIR/logs"
mkdir -p "$ARTIFACTS" "$LOGS"

BUILD_START=$(date +%s)

elapsed() { # seconds -> "1m05s"
  local s=$1
  if ((s >= 60)); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}

say() { printf '[images %s] %s\n' "$(elapsed $(($(date +%s) - BUILD_START)))" "$*"; }

# Exit codes: 2 = the machine is not ready (docker, disk, network), 3 = a build step failed.
fail_env() {
  printf 'images: %s\n' "$1" >&2
  exit 2
}

# The sha256 of every argument plus the recipe revision: a step's cache key.
cache_key() { printf '%s\n' "$RECIPE_REVISION" "$@" | sha256sum | cut -c1-16; }

# The sha256 of files (paths relative to the images folder), for keys that depend on our own files.
files_key() { (cd "$IMAGES_DIR" && cat "$@") | sha256sum | cut -c1-16; }

# What a failed step's log most likely means, and what to do next.
diagnose() {
  local log=$1
  if grep -qi 'no space left on device' "$log"; then
    echo "the disk is full: free space under $CACHE_DIR or /var/lib/docker, then re-run"
  elif grep -qiE 'proxy.golang.org|dial tcp|i/o timeout|connection refused|TLS handshake' "$log" && grep -qiE 'go: |go mod|module' "$log"; then
    echo "the Go module proxy did not answer: check the network and GOPROXY, then re-run (finished steps stay cached)"
  elif grep -qiE 'Failed to fetch|Could not resolve|Temporary failure resolving|debootstrap.*(failed|error)' "$log"; then
    echo "the Debian mirror did not answer: check the network, then re-run (finished steps stay cached)"
  elif grep -qiE 'Cannot connect to the Docker daemon|docker: Error response' "$log"; then
    echo "docker refused: check 'docker info', then re-run"
  else
    echo "read the log, fix the cause, then re-run (finished steps stay cached)"
  fi
}

# run_step NAME KEY FUNC [CHECK]
# Runs FUNC with OUT set to a fresh directory, unless NAME's stored key equals KEY (and CHECK, if
# given, confirms the artifact still exists). FUNC's output goes to the step's log; a heartbeat line
# shows that long steps are alive. The artifact directory is replaced only when FUNC succeeds, so a
# failed step never leaves a half-built result marked as good.
run_step() {
  # Two builds at once (two CLI processes, two Kubernetes versions) take a step one at a time: the
  # second waits, then finds it cached, instead of building into the same temporary directory.
  local lock
  exec {lock}>"$ARTIFACTS/.$1.lock"
  flock -n "$lock" || {
    say "… $1: another build is making it; waiting"
    flock "$lock"
  }
  build_step "$@"
  exec {lock}>&-
}

build_step() {
  local name=$1 key=$2 func=$3 check=${4:-}
  local dir="$ARTIFACTS/$name" log="$LOGS/$name.log"
  if [[ -f "$dir/.key" && "$(cat "$dir/.key")" == "$key" ]] && { [[ -z "$check" ]] || $check "$dir" >/dev/null 2>&1; }; then
    say "✓ $name (cached)"
    return 0
  fi
  local tmp="$ARTIFACTS/.$name.tmp"
  rm -rf "$tmp" && mkdir -p "$tmp"
  say "▶ $name …"
  local start
  start=$(date +%s)
  (OUT="$tmp" "$func") >"$log" 2>&1 &
  local pid=$! tick=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    tick=$((tick + 1))
    if ((tick % 30 == 0)); then say "  … $name still running ($(elapsed $tick)): $(tail -n1 "$log" | cut -c1-100)"; fi
  done
  if ! wait "$pid"; then
    rm -rf "$tmp"
    printf 'images: step %s failed after %s: %s. Full log: %s\n' "$name" "$(elapsed $(($(date +%s) - start)))" "$(diagnose "$log")" "$log" >&2
    tail -n 15 "$log" | sed 's/^/  | /' >&2
    exit 3
  fi
  echo "$key" >"$tmp/.key"
  rm -rf "$dir" && mv "$tmp" "$dir"
  say "✓ $name built in $(elapsed $(($(date +%s) - start)))"
}
