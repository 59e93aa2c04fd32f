# shellcheck shell=bash
# What the production-shaped cluster adds (step group `prod`, built by `cluster up --shape prod`):
# an OCI registry its nodes pull from, and the load balancer kind puts in front of three control
# planes. Both built here with no registry.

build_registry() {
  go_throwaway_build "$OUT" "github.com/distribution/distribution/v3@$DISTRIBUTION_VERSION" "" "" \
    github.com/distribution/distribution/v3/cmd/registry
  "$OUT/registry" --version
}

# The registry's image: its binary and a configuration that stores under /var/lib/registry and
# answers plain HTTP on :5000 (the nodes reach it on the cluster's Docker network, by name).
build_registry_image() {
  cat >"$OUT/config.yml" <<'YAML'
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: /var/lib/registry
  delete:
    enabled: true
http:
  addr: :5000
YAML
  build_image "$REGISTRY_TAG" \
    "FROM scratch
COPY registry /bin/registry
COPY config.yml /etc/distribution/config.yml
VOLUME /var/lib/registry
EXPOSE 5000
ENTRYPOINT [\"/bin/registry\"]
CMD [\"serve\", \"/etc/distribution/config.yml\"]" \
    "$ARTIFACTS/registry/registry" "$OUT/config.yml"
}

build_lb_rootfs() { DEBOOTSTRAP_PRUNE=1 debootstrap_tar "$LB_PACKAGES"; }

# The image name kind runs its load balancer from, read from the kind source this build compiled.
kind_lb_image() {
  local src
  src=$(go mod download -json "sigs.k8s.io/kind@$KIND_VERSION" | jq -r .Dir)
  sed -n 's/^const Image = "\(.*\)"$/\1/p' "$src/pkg/cluster/internal/loadbalancer/const.go"
}

build_lb_image() {
  local base
  base=$(rootfs_base lb-rootfs)
  cp "$IMAGES_DIR/lb/envoy.sh" "$OUT/envoy"
  build_image "$LB_TAG" \
    "FROM $base
COPY envoy /usr/local/bin/envoy
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD [\"/usr/local/bin/envoy\"]" "$OUT/envoy"
}

prod_steps() {
  need_docker
  local g
  g=$(go_key)
  go_step registry "$(cache_key "$g" "$DISTRIBUTION_VERSION")" build_registry
  REGISTRY_TAG="$IMAGE_PREFIX/registry:$DISTRIBUTION_VERSION"
  export REGISTRY_TAG
  image_step registry-image "$REGISTRY_TAG" build_registry_image "$(cat "$ARTIFACTS/registry/.key")"
  run_step lb-rootfs "$(cache_key "$DEBIAN_SUITE" "$LB_PACKAGES" pruned)" build_lb_rootfs
  LB_TAG=$(kind_lb_image)
  [[ -n $LB_TAG ]] || fail_env "kind $KIND_VERSION's load balancer image name was not found in its source"
  export LB_TAG
  image_step lb-image "$LB_TAG" build_lb_image "$(cat "$ARTIFACTS/lb-rootfs/.key")" "$(files_key lb/envoy.sh)"
  say "prod cluster: registry $REGISTRY_TAG, load balancer $LB_TAG (haproxy)"
}
