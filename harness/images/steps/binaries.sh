# shellcheck shell=bash
# Go programs compiled from the module proxy. Each step writes binaries into $OUT.

build_kind() {
  go_throwaway_build "$OUT" "sigs.k8s.io/kind@$KIND_VERSION" "" "" sigs.k8s.io/kind
}

# The steps that differ by Kubernetes version are named after it, so versions are cached side by
# side (a cluster at another version, the upgrade's second version) instead of replacing each other.
k8s_step() { echo "kubernetes-$KUBERNETES_VERSION"; }
etcd_step() { echo "etcd-$ETCD_TAG"; }
coredns_step() { echo "coredns-$COREDNS_TAG"; }

# Kubernetes: every staging module is replaced by its published version, read from the
# k8s.io/kubernetes go.mod of the pinned release (never a hand-kept list).
build_kubernetes() {
  local v=$KUBERNETES_VERSION staging_v="v0.${KUBERNETES_VERSION#v1.}" gomod
  gomod=$(go mod download -json "k8s.io/kubernetes@$v" | jq -r .GoMod)
  local replaces=()
  mapfile -t replaces < <(awk '$2 == "=>" && $3 ~ /^\.\/staging\// {print $1 "=" $1 "@'"$staging_v"'"}' "$gomod")
  echo "staging modules: ${#replaces[@]}"
  local minor=${v#v1.}
  minor=${minor%%.*}
  local ldflags="" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=2000-01-01T00:00:00Z"
    ldflags+=" -X $pkg.gitCommit=0000000000000000000000000000000000000000"
  done
  local cmds=()
  for pkg in kubeadm kubelet kubectl kube-apiserver kube-controller-manager kube-scheduler kube-proxy; do
    cmds+=("k8s.io/kubernetes/cmd/$pkg")
  done
  go_throwaway_build "$OUT" "k8s.io/kubernetes@$v" "$ldflags" "" "${cmds[@]}" -- "${replaces[@]}"
  "$OUT/kubeadm" version -o short
}

# The tags kubeadm will ask for (etcd, CoreDNS, pause) come from the kubeadm we just built.
kubeadm_image_tag() { # NAME -> tag, e.g. etcd -> 3.6.4-0
  "$ARTIFACTS/$(k8s_step)/kubeadm" config images list --kubernetes-version "$KUBERNETES_VERSION" 2>/dev/null |
    awk -F: -v n="$1" '{split($1, p, "/"); if (p[length(p)] == n) print $2}'
}

load_kubeadm_tags() {
  ETCD_TAG=$(kubeadm_image_tag etcd)
  COREDNS_TAG=$(kubeadm_image_tag coredns)
  PAUSE_TAG=$(kubeadm_image_tag pause)
  [[ -n $ETCD_TAG && -n $COREDNS_TAG && -n $PAUSE_TAG ]] || {
    echo "images: kubeadm listed no etcd/coredns/pause image; rebuild it with: rm -rf $ARTIFACTS/$(k8s_step)" >&2
    exit 3
  }
}

build_etcd() {
  go_throwaway_build "$OUT" "go.etcd.io/etcd/server/v3@v${ETCD_TAG%-*}" "" "" go.etcd.io/etcd/server/v3
  mv "$OUT/server" "$OUT/etcd" # go names a /v3 package binary after its parent
}

# CoreDNS with only the plugins kubeadm's Corefile uses (see coredns/main.go): a fraction of
# the full build's dependencies.
build_coredns() {
  GO_MAIN_SRC="$IMAGES_DIR/coredns" go_throwaway_build "$OUT" "github.com/coredns/coredns@$COREDNS_TAG" "" "" .
  mv "$OUT/throwaway" "$OUT/coredns"
  "$OUT/coredns" -plugins | tr '\n' ' '
}

build_containerd() {
  local m=github.com/containerd/containerd/v2
  go_throwaway_build "$OUT" "$m@$CONTAINERD_VERSION" "-X $m/version.Version=$CONTAINERD_VERSION" \
    "no_btrfs no_devmapper no_zfs" $m/cmd/containerd $m/cmd/ctr $m/cmd/containerd-shim-runc-v2
}

build_local_path() {
  go_throwaway_build "$OUT" "github.com/rancher/local-path-provisioner@$LOCAL_PATH_VERSION" \
    "-X main.VERSION=$LOCAL_PATH_VERSION" "" github.com/rancher/local-path-provisioner
}

# The filesystem behind the StorageClass lazyfs (see lazyfs/main.go), tested as it is built: its
# tests mount it for real where root and /dev/fuse allow (they do on these hosts).
build_lazyfs() {
  GO_MAIN_SRC="$IMAGES_DIR/lazyfs" GO_TEST=1 go_throwaway_build "$OUT" "github.com/hanwen/go-fuse/v2@$GO_FUSE_VERSION" "" "" .
  mv "$OUT/throwaway" "$OUT/sts-lazyfs"
}

# The pod sandbox's process (pause/main.go): no dependencies, so a module of its own.
build_pause_binary() {
  local work="$OUT/go-work"
  mkdir -p "$work"
  cp "$IMAGES_DIR/pause/main.go" "$work/"
  (cd "$work" && go mod init example.invalid/pause && go vet . && go build -ldflags "-s -w" -o "$OUT/pause" .)
  rm -rf "$work"
  "$OUT/pause" -v
}

# link_artifact FROM TO: a step's artifact directory, hard-linked (copied across filesystems).
link_artifact() {
  rm -rf "${2:?}" && mkdir -p "$(dirname "$2")"
  cp -al "$1" "$2" 2>/dev/null || cp -a "$1" "$2"
}

# go_step NAME KEY FUNC: run_step for a compiled Go program, shared with STS_GO_BINARIES_FROM's
# cache when set (see build.sh): taken from it at the same key, left in it when compiled here.
go_step() {
  local name=$1 key=$2 shared=${STS_GO_BINARIES_FROM:+$STS_GO_BINARIES_FROM/artifacts/$1}
  if [[ -n $shared && $(cat "$shared/.key" 2>/dev/null) == "$key" && $(cat "$ARTIFACTS/$name/.key" 2>/dev/null) != "$key" ]]; then
    link_artifact "$shared" "$ARTIFACTS/$name"
    say "↻ $name (compiled, from $STS_GO_BINARIES_FROM)"
  fi
  run_step "$@"
  if [[ -n $shared && $(cat "$shared/.key" 2>/dev/null) != "$key" ]]; then link_artifact "$ARTIFACTS/$name" "$shared"; fi
}

binaries_steps() {
  local g
  g=$(go_key)
  go_step kind "$(cache_key "$g" "$KIND_VERSION")" build_kind
  go_step "$(k8s_step)" "$(cache_key "$g" "$KUBERNETES_VERSION")" build_kubernetes
  load_kubeadm_tags
  say "  kubeadm asks for etcd $ETCD_TAG, coredns $COREDNS_TAG, pause $PAUSE_TAG"
  go_step "$(etcd_step)" "$(cache_key "$g" "$ETCD_TAG")" build_etcd
  go_step "$(coredns_step)" "$(cache_key "$g" "$COREDNS_TAG" "$(files_key coredns/main.go)")" build_coredns
  go_step containerd "$(cache_key "$g" "$CONTAINERD_VERSION")" build_containerd
  go_step local-path "$(cache_key "$g" "$LOCAL_PATH_VERSION")" build_local_path
  go_step pause "$(cache_key "$g" "$(files_key pause/main.go)")" build_pause_binary
  local lazyfs_files
  lazyfs_files=$(cd "$IMAGES_DIR" && find lazyfs -name '*.go' | sort)
  # shellcheck disable=SC2086
  go_step lazyfs "$(cache_key "$g" "$GO_FUSE_VERSION" "$(files_key $lazyfs_files)")" build_lazyfs
}
