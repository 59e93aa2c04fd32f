# shellcheck shell=bash
# Container images, built FROM scratch or FROM an imported Debian rootfs: no registry involved.
# Each image carries its step's cache key as the label sts.key, so a wiped docker store is noticed.

export DOCKER_BUILDKIT=0 # BuildKit would try to resolve its frontend from a registry

# A step's check: the image named in its artifact dir exists with the step's key.
image_check() { # ARTIFACT_DIR
  [[ $(docker image inspect -f '{{index .Config.Labels "sts.key"}}' "$(cat "$1/image")" 2>/dev/null) == "$(cat "$1/.key")" ]]
}

image_id() { docker image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }

# retire_image OLD_ID TAG: once TAG names a rebuilt image, remove the one it named before unless a
# container still uses it; otherwise every rebuild (a CI run's fresh build) leaves it dangling.
retire_image() {
  [[ -n $1 && $1 != "$(image_id "$2")" ]] || return 0
  docker rmi "$1" >/dev/null 2>&1 || true
}

# The image steps stop here, in one line, when Docker does not answer.
need_docker() {
  { command -v docker >/dev/null && docker info >/dev/null 2>&1; } ||
    fail_env "docker is not running: run harness/host/setup.sh, then re-run"
}

# rootfs_base STEP: the image of a root filesystem step's tarball, imported once under the step's
# key (labelled with the importing step's key); its name on stdout.
rootfs_base() {
  local base
  base="$IMAGE_PREFIX/$1:$(cat "$ARTIFACTS/$1/.key")"
  docker image inspect "$base" >/dev/null 2>&1 ||
    docker import --change "LABEL sts.key=$STEP_KEY" "$ARTIFACTS/$1/rootfs.tar" "$base" >&2
  echo "$base"
}

# build_image TAG DOCKERFILE_TEXT FILE...: a context of FILEs (copied flat) and the Dockerfile.
build_image() {
  local tag=$1 dockerfile=$2
  shift 2
  local ctx="$OUT/context"
  mkdir -p "$ctx"
  cp -a "$@" "$ctx/"
  printf '%s\n' "$dockerfile" >"$ctx/Dockerfile"
  local previous
  previous=$(image_id "$tag")
  docker build --label "sts.key=$STEP_KEY" -t "$tag" "$ctx"
  retire_image "$previous" "$tag"
  rm -rf "$ctx"
  echo "$tag" >"$OUT/image"
}

# image_step NAME TAG FUNC KEYPARTS...: run FUNC (which builds TAG) as a cached step.
image_step() {
  local name=$1 tag=$2 func=$3
  shift 3
  STEP_KEY=$(cache_key "$tag" "$@")
  export STEP_KEY
  run_step "$name" "$STEP_KEY" "$func" image_check
}

bin() { echo "$ARTIFACTS/$1/$2"; }

build_iptables_base() {
  local previous
  previous=$(image_id "$IPTABLES_BASE_TAG")
  docker import --change "LABEL sts.key=$STEP_KEY" "$ARTIFACTS/iptables-rootfs/rootfs.tar" "$IPTABLES_BASE_TAG"
  retire_image "$previous" "$IPTABLES_BASE_TAG"
  echo "$IPTABLES_BASE_TAG" >"$OUT/image"
}

control_plane_image() { # BINARY
  build_image "registry.k8s.io/$1:$KUBERNETES_VERSION" \
    "FROM scratch
COPY $1 /usr/local/bin/$1
ENV PATH=/usr/local/bin" "$(bin "$(k8s_step)" "$1")"
}
build_apiserver() { control_plane_image kube-apiserver; }
build_controller_manager() { control_plane_image kube-controller-manager; }
build_scheduler() { control_plane_image kube-scheduler; }

build_kube_proxy() {
  build_image "registry.k8s.io/kube-proxy:$KUBERNETES_VERSION" \
    "FROM $IPTABLES_BASE_TAG
COPY kube-proxy /usr/local/bin/kube-proxy" "$(bin "$(k8s_step)" kube-proxy)"
}

build_etcd_image() {
  build_image "registry.k8s.io/etcd:$ETCD_TAG" \
    "FROM scratch
COPY etcd /usr/local/bin/etcd
ENV PATH=/usr/local/bin" "$(bin "$(etcd_step)" etcd)"
}

build_coredns_image() {
  build_image "registry.k8s.io/coredns/coredns:$COREDNS_TAG" \
    "FROM scratch
COPY coredns /coredns
ENTRYPOINT [\"/coredns\"]" "$(bin "$(coredns_step)" coredns)"
}

# The sandbox process: our own pause (see pause/main.go).
build_pause() {
  build_image "registry.k8s.io/pause:$PAUSE_TAG" \
    "FROM scratch
COPY pause /pause
USER 65535:65535
ENTRYPOINT [\"/pause\"]" "$(bin pause pause)"
}

build_local_path_image() {
  build_image "$IMAGE_PREFIX/local-path-provisioner:$LOCAL_PATH_VERSION" \
    "FROM scratch
COPY local-path-provisioner /usr/local/bin/local-path-provisioner
ENV PATH=/usr/local/bin" "$(bin local-path local-path-provisioner)"
}

# The busybox image's name: the host's Debian busybox-static version (what it is built from).
busybox_tag() { echo "$IMAGE_PREFIX/busybox:$(dpkg-query -W -f '${Version}' busybox-static | tr -c 'a-zA-Z0-9.\n-' '_')"; }

# Debian's static busybox: the local-path helper, and the suite's fixture (httpd, nslookup,
# sha256sum, sh) in one small image.
build_busybox() {
  build_image "$BUSYBOX_TAG" \
    "FROM scratch
COPY busybox /bin/busybox
RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]
ENV PATH=/bin" /bin/busybox
}

build_netd() {
  build_image "$IMAGE_PREFIX/netd:$STEP_KEY" \
    "FROM $IPTABLES_BASE_TAG
COPY kubectl /usr/local/bin/kubectl
COPY netd.sh /usr/local/bin/netd
ENTRYPOINT [\"/usr/local/bin/netd\"]" "$(bin "$(k8s_step)" kubectl)" "$IMAGES_DIR/netd/netd.sh"
}

# The images every node holds (kubeadm's and our manifests' names), in build order: the one list,
# read by images_steps (build each) and node.sh (load each, key the node image by them).
# shellcheck disable=SC2034 # read by node.sh
NODE_IMAGE_STEPS=(kube-apiserver-image kube-controller-manager-image kube-scheduler-image kube-proxy-image
  etcd-image coredns-image pause-image local-path-image busybox-image netd-image)

# image_artifact STEP: the artifact directory of an image step, named after what it depends on
# (busybox's is read by the suite: harness/config/images.ts).
image_artifact() {
  case $1 in
    kube-*-image | netd-image) echo "$1-$KUBERNETES_VERSION" ;;
    etcd-image) echo "$1-$ETCD_TAG" ;;
    coredns-image) echo "$1-$COREDNS_TAG" ;;
    pause-image) echo "$1-$PAUSE_TAG" ;;
    *) echo "$1" ;;
  esac
}

# node_image_row STEP KUBERNETES_KEY: "tag|build function|further cache key parts" of one image.
# The tag is a part of its cache key; netd's real tag carries its own key (build_netd).
node_image_row() {
  local k8s=$2
  case $1 in
    kube-apiserver-image) echo "registry.k8s.io/kube-apiserver:$KUBERNETES_VERSION|build_apiserver|$k8s" ;;
    kube-controller-manager-image) echo "registry.k8s.io/kube-controller-manager:$KUBERNETES_VERSION|build_controller_manager|$k8s" ;;
    kube-scheduler-image) echo "registry.k8s.io/kube-scheduler:$KUBERNETES_VERSION|build_scheduler|$k8s" ;;
    kube-proxy-image) echo "registry.k8s.io/kube-proxy:$KUBERNETES_VERSION|build_kube_proxy|$k8s $IPTABLES_BASE_TAG" ;;
    etcd-image) echo "registry.k8s.io/etcd:$ETCD_TAG|build_etcd_image|$(cat "$ARTIFACTS/$(etcd_step)/.key")" ;;
    coredns-image) echo "registry.k8s.io/coredns/coredns:$COREDNS_TAG|build_coredns_image|$(cat "$ARTIFACTS/$(coredns_step)/.key")" ;;
    pause-image) echo "registry.k8s.io/pause:$PAUSE_TAG|build_pause|$(cat "$ARTIFACTS/pause/.key")" ;;
    local-path-image) echo "$IMAGE_PREFIX/local-path-provisioner:$LOCAL_PATH_VERSION|build_local_path_image|$(cat "$ARTIFACTS/local-path/.key")" ;;
    busybox-image) echo "$BUSYBOX_TAG|build_busybox|" ;;
    netd-image) echo "netd|build_netd|$k8s $IPTABLES_BASE_TAG $(files_key netd/netd.sh)" ;;
    *) fail_env "no image row for step $1 (harness/images/steps/images.sh)" ;;
  esac
}

images_steps() {
  need_docker
  load_kubeadm_tags
  local k8s
  k8s=$(cat "$ARTIFACTS/$(k8s_step)/.key")
  IPTABLES_BASE_TAG="$IMAGE_PREFIX/iptables-base:$(cat "$ARTIFACTS/iptables-rootfs/.key")"
  BUSYBOX_TAG=$(busybox_tag)
  export IPTABLES_BASE_TAG BUSYBOX_TAG ETCD_TAG COREDNS_TAG PAUSE_TAG

  image_step iptables-base "$IPTABLES_BASE_TAG" build_iptables_base
  local name row tag build parts
  for name in "${NODE_IMAGE_STEPS[@]}"; do
    row=$(node_image_row "$name" "$k8s") # its own line: a failure here stops the build
    IFS='|' read -r tag build parts <<<"$row"
    # shellcheck disable=SC2086 # the key parts are words without spaces (versions, tags, hashes)
    image_step "$(image_artifact "$name")" "$tag" "$build" $parts
  done
}
