# shellcheck shell=bash
# Compiling Go programs from the module proxy, with caches outside the repository.

export GOMODCACHE="$CACHE_DIR/go/mod"
export GOCACHE="$CACHE_DIR/go/build"
export GOFLAGS="-trimpath -mod=mod -buildvcs=false"
export CGO_ENABLED=0

go_key() { go env GOVERSION GOOS GOARCH; }

# go_throwaway_build OUTDIR MODULE@VERSION LDFLAGS TAGS PKG... [-- REPLACE_LINES]
# `go install` refuses modules whose go.mod has replace/exclude directives, so build inside a
# throwaway main module that requires the target; replaces listed after `--` are copied in.
# With GO_MAIN_SRC set to a directory of ours, its files become the throwaway module's own main
# package (build it with the package "."); with GO_TEST=1 as well, its tests run after the build.
go_throwaway_build() {
  local outdir=$1 modver=$2 ldflags=$3 tags=$4
  shift 4
  local pkgs=() replaces=()
  while (($#)) && [[ $1 != -- ]]; do pkgs+=("$1"); shift; done
  if (($#)); then shift; replaces=("$@"); fi
  # Inside the step's output dir, which the step runner removes if the build fails.
  local work="$OUT/go-work"
  mkdir -p "$work"
  (
    cd "$work" || exit
    if [[ -n "${GO_MAIN_SRC:-}" ]]; then cp "$GO_MAIN_SRC"/*.go .; fi
    go mod init example.invalid/throwaway
    local line
    for line in "${replaces[@]}"; do go mod edit -replace "$line"; done
    go get "$modver"
    # Keep the target's language version and GODEBUG defaults: they change runtime behaviour.
    local gomod
    gomod=$(go mod download -json "$modver" | jq -r .GoMod)
    go mod edit -go="$(awk '$1 == "go" {print $2; exit}' "$gomod")"
    awk '$1 == "godebug" && $2 != "(" {print $2}' "$gomod" | while read -r kv; do go mod edit -godebug="$kv"; done
    local p
    for p in "${pkgs[@]}"; do [[ $p == . ]] || go get "$p@${modver#*@}"; done
    [[ -z "${GO_MAIN_SRC:-}" ]] || go mod tidy
    mkdir -p "$outdir"
    echo "go build ${pkgs[*]}"
    go build -tags "$tags" -ldflags "-s -w $ldflags" -o "$outdir/" "${pkgs[@]}"
    if [[ ${GO_TEST:-} == 1 ]]; then go vet . && go test -count=1 -v .; fi
  )
  rm -rf "$work"
}
