# shellcheck shell=bash
# The kind node image, assembled without `kind build node-image` (which pulls from registries):
# our Debian rootfs + our node files + containerd + the Kubernetes binaries, with every image the
# cluster needs already in containerd's store.

# Every image a node must hold, named as kubeadm and our manifests ask for them.
node_image_list() {
  local step
  for step in "${NODE_IMAGE_STEPS[@]}"; do
    cat "$ARTIFACTS/$(image_artifact "$step")/image"
  done
}

# stage_files DIR: the node's own files, with versions and image names filled in.
stage_files() {
  local files=$1
  cp -a "$IMAGES_DIR/node/files/." "$files/"
  # Directories git cannot carry empty are made here, never expected from the checkout.
  mkdir -p "$files/usr/bin" "$files/kind/manifests" "$files/etc/containerd" "$files/etc/kubernetes/manifests"
  cp "$ARTIFACTS"/containerd/{containerd,ctr,containerd-shim-runc-v2} "$files/usr/local/bin/"
  cp "$ARTIFACTS/$(k8s_step)"/{kubeadm,kubelet,kubectl} "$files/usr/bin/"
  cp "$ARTIFACTS"/lazyfs/sts-lazyfs "$files/usr/local/bin/"
  echo -n "$KUBERNETES_VERSION" >"$files/kind/version"
  sed "s#@SANDBOX_IMAGE@#registry.k8s.io/pause:$PAUSE_TAG#" "$IMAGES_DIR/node/containerd-config.toml" \
    >"$files/etc/containerd/config.toml"
  # The base spec of every container: containerd's default minus rlimits, which this host's
  # missing CAP_SYS_RESOURCE would make fail.
  "$ARTIFACTS/containerd/ctr" oci spec | jq 'del(.process.rlimits)' >"$files/etc/containerd/cri-base.json"
  local m
  for m in default-cni default-storage; do
    sed -e "s#@NETD_IMAGE@#$(cat "$ARTIFACTS/$(image_artifact netd-image)/image")#g" \
      -e "s#@BUSYBOX_IMAGE@#$(cat "$ARTIFACTS/$(image_artifact busybox-image)/image")#g" \
      -e "s#@LOCAL_PATH_IMAGE@#$(cat "$ARTIFACTS/$(image_artifact local-path-image)/image")#g" \
      "$IMAGES_DIR/manifests/$m.yaml" >"$files/kind/manifests/$m.yaml"
  done
}

build_node() {
  local base stage="$IMAGE_PREFIX/node-stage:$STEP_KEY"
  base="$IMAGE_PREFIX/node-rootfs:$(cat "$ARTIFACTS/node-rootfs/.key")"
  docker image inspect "$base" >/dev/null 2>&1 || docker import "$ARTIFACTS/node-rootfs/rootfs.tar" "$base"
  local ctx="$OUT/context"
  mkdir -p "$ctx/files"
  stage_files "$ctx/files"
  # systemd in a container: only our units are wanted; the default ones (getty, ...) are pruned.
  cat >"$ctx/Dockerfile" <<EOF
FROM $base
RUN find /etc/systemd/system -name '*.wants' -type d -prune -exec rm -rf {} +
COPY files/ /
RUN mkdir -p /opt/cni && ln -s /usr/lib/cni /opt/cni/bin \
 && systemctl enable containerd.service kubelet.service sts-lazyfs.service \
 && systemctl mask systemd-binfmt.service getty.target console-getty.service
ENV container=docker
STOPSIGNAL SIGRTMIN+3
EOF
  docker build -t "$stage" "$ctx"
  rm -rf "$ctx"

  echo "importing images into the node's containerd:"
  node_image_list
  local list images
  list=$(node_image_list) # a failure here stops the step (a process substitution would hide it)
  mapfile -t images <<<"$list"
  docker save -o "$OUT/images.tar" "${images[@]}"
  local cid
  cid=$(docker run -d --entrypoint sleep "$stage" infinity)
  # EXIT, not RETURN: a RETURN trap does not fire when errexit ends the step's subshell. The
  # names are expanded now: the function's locals are gone when the subshell exits.
  # shellcheck disable=SC2064
  trap "docker rm -f -v '$cid' >/dev/null 2>&1; docker rmi '$stage' >/dev/null 2>&1 || true" EXIT
  docker cp "$OUT/images.tar" "$cid:/kind/images.tar"
  rm -f "$OUT/images.tar"
  docker exec "$cid" bash -euc '
    containerd >/tmp/containerd.log 2>&1 &
    for _ in $(seq 100); do ctr version >/dev/null 2>&1 && break; sleep 0.2; done
    ctr -n k8s.io images import --all-platforms --no-unpack --digests \
      --label io.cri-containerd.pinned=pinned /kind/images.tar
    ctr -n k8s.io images ls -q
    pkill containerd
    while pgrep -x containerd >/dev/null; do sleep 0.2; done
    rm -f /kind/images.tar /tmp/containerd.log'
  local previous
  previous=$(image_id "$NODE_TAG")
  docker commit \
    --change 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' --change 'CMD []' \
    --change "LABEL sts.key=$STEP_KEY" "$cid" "$NODE_TAG"
  retire_image "$previous" "$NODE_TAG"
  echo "$NODE_TAG" >"$OUT/image"
}

node_steps() {
  load_kubeadm_tags
  local parts=() step
  for step in node-rootfs "$(k8s_step)" containerd lazyfs; do
    parts+=("$(cat "$ARTIFACTS/$step/.key")")
  done
  for step in "${NODE_IMAGE_STEPS[@]}"; do
    parts+=("$(cat "$ARTIFACTS/$(image_artifact "$step")/.key")")
  done
  local files
  files=$(cd "$IMAGES_DIR" && find node manifests -type f | sort)
  # shellcheck disable=SC2086
  parts+=("$(files_key $files)")
  STEP_KEY=$(cache_key "${parts[@]}")
  NODE_TAG="$IMAGE_PREFIX/kind-node:$KUBERNETES_VERSION-$STEP_KEY"
  export STEP_KEY NODE_TAG
  run_step "node-image-$KUBERNETES_VERSION" "$STEP_KEY" build_node image_check
  echo "$NODE_TAG" >"$NODE_IMAGE_FILE"
  # Superseded node images of this version are about 1.2 GB each (other versions' are kept);
  # docker refuses to remove one a node still runs.
  docker images --format '{{.Repository}}:{{.Tag}}' "$IMAGE_PREFIX/kind-node" |
    grep "^$IMAGE_PREFIX/kind-node:$KUBERNETES_VERSION-" | grep -vx "$NODE_TAG" |
    xargs -r docker rmi >/dev/null 2>&1 || true
  say "node image: $NODE_TAG"
}

# The upgrade payload: what `cluster upgrade --to` puts on every node of a running cluster before
# it upgrades, as an operator pre-pulls with `kubeadm config images pull`: this version's kubeadm,
# kubelet and kubectl, and every image its kubeadm asks for, in one archive for containerd.
build_upgrade_payload() {
  cp "$ARTIFACTS/$(k8s_step)"/{kubeadm,kubelet,kubectl} "$OUT/"
  "$OUT/kubeadm" config images list --kubernetes-version "$KUBERNETES_VERSION" 2>/dev/null >"$OUT/images"
  local images
  mapfile -t images <"$OUT/images"
  ((${#images[@]} > 0)) || { echo "kubeadm listed no images" >&2; return 1; }
  docker save -o "$OUT/images.tar" "${images[@]}"
}

# A payload's check: its archive and kubeadm still there (a cache wiped by hand is built again).
payload_check() { [[ -s $1/images.tar && -x $1/kubeadm ]]; }

upgrade_steps() {
  load_kubeadm_tags
  local parts=("$(cat "$ARTIFACTS/$(k8s_step)/.key")") step
  for step in kube-apiserver-image kube-controller-manager-image kube-scheduler-image kube-proxy-image \
    etcd-image coredns-image pause-image; do
    parts+=("$(cat "$ARTIFACTS/$(image_artifact "$step")/.key")")
  done
  run_step "upgrade-payload-$KUBERNETES_VERSION" "$(cache_key "${parts[@]}")" build_upgrade_payload payload_check
  say "upgrade payload: $ARTIFACTS/upgrade-payload-$KUBERNETES_VERSION"
}
