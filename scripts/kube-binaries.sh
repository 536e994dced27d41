#!/usr/bin/env bash
# Builds kube-apiserver, kubectl and etcd from the Go module proxy into the layout fabric8
# kube-api-test reads ($KUBE_API_TEST_DIR/k8s/<version>-linux-amd64/), so integration tests run
# against a real API server on machines that cannot download release binaries.
# Idempotent: a second run with the binaries present does nothing.
set -euo pipefail

KUBE_VERSION="${KUBE_VERSION:-1.34.4}"
ETCD_VERSION="${ETCD_VERSION:-3.6.5}"
KUBE_API_TEST_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
target="$KUBE_API_TEST_DIR/k8s/${KUBE_VERSION}-linux-amd64"

log() { printf '[kube-binaries] %s\n' "$*" >&2; }

if [[ -x "$target/kube-apiserver" && -x "$target/kubectl" && -x "$target/etcd" ]]; then
  log "present: $target"
  echo "$target"
  exit 0
fi
[[ -x /usr/local/go/bin/go ]] && PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || { log "go not found: install Go 1.24+ (it builds the Kubernetes binaries)"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$target"
export GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 GOTOOLCHAIN=local

# k8s.io/kubernetes is not meant to be a dependency: its staging modules are replaced by
# relative paths. A throw-away main module maps each of them to its published v0.x release.
log "resolving k8s.io/kubernetes v$KUBE_VERSION from the Go module proxy"
modfile=$(cd "$work" && go mod download -json "k8s.io/kubernetes@v$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
staging_version="v0.${KUBE_VERSION#1.}"
{
  echo "module kubepd.local/kubebuild"
  echo
  sed -n 's/^go \(.*\)/go \1/p' "$modfile"
  echo
  echo "require k8s.io/kubernetes v$KUBE_VERSION"
  echo
  echo "replace ("
  sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\t\1 => \1 '"$staging_version"'#p' "$modfile"
  echo ")"
} > "$work/go.mod"

pkg=k8s.io/component-base/version
ldflags="-s -w -X $pkg.gitVersion=v$KUBE_VERSION -X $pkg.gitMajor=${KUBE_VERSION%%.*} -X $pkg.gitMinor=$(echo "$KUBE_VERSION" | cut -d. -f2) -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
ldflags="$ldflags -X k8s.io/client-go/pkg/version.gitVersion=v$KUBE_VERSION"
for cmd in kube-apiserver kubectl; do
  [[ -x "$target/$cmd" ]] && continue
  log "building $cmd v$KUBE_VERSION (several minutes on 2 cores)"
  start=$SECONDS
  (cd "$work" && go build -trimpath -ldflags "$ldflags" -o "$target/$cmd.tmp" "k8s.io/kubernetes/cmd/$cmd")
  mv "$target/$cmd.tmp" "$target/$cmd"
  log "built $cmd in $((SECONDS - start)) s"
done

if [[ ! -x "$target/etcd" ]]; then
log "building etcd v$ETCD_VERSION"
start=$SECONDS
# Same trick as above: etcd's server module replaces its sibling modules with relative paths.
mkdir -p "$work/etcd"
etcd_mod=$(cd "$work/etcd" && go mod download -json "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
{
  echo "module kubepd.local/etcdbuild"
  echo
  sed -n 's/^go \(.*\)/go \1/p' "$etcd_mod"
  echo
  echo "require go.etcd.io/etcd/server/v3 v$ETCD_VERSION"
  echo
  echo "replace ("
  sed -n 's#^\s*\(go.etcd.io/etcd/[a-z0-9/-]*\) => \.\./.*#\t\1 => \1 v'"$ETCD_VERSION"'#p' "$etcd_mod"
  echo ")"
} > "$work/etcd/go.mod"
(cd "$work/etcd" && go build -trimpath -ldflags "-s -w" -o "$target/etcd.tmp" go.etcd.io/etcd/server/v3)
mv "$target/etcd.tmp" "$target/etcd"
log "built etcd in $((SECONDS - start)) s"
fi
"$target/etcd" --version | head -1 >&2
"$target/kube-apiserver" --version >&2
echo "$target"
