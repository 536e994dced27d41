#!/usr/bin/env bash
# Checks the archives scripts/build-images.sh wrote, without Maven: skopeo reads each one as a registry client
# would (every blob against its digest), the names and users match the chart's values, and, as root, both
# entrypoints run from the unpacked layers (scripts/run-image.sh) and the agent image's ip works.
# The full tests (chart rendered by Helm, Kea, a real API server) are images/src/test/java/io/kubepd/images/ImagesIT.
#
# Usage: scripts/verify-images.sh [ARCHIVE_DIR]   (default: target/images)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-target/images}
failures=0
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
check() { local what=$1; shift; if "$@" >/dev/null 2>&1; then pass "$what"; else fail "$what"; fi; }

# Value of `key:` in the top-level `section:` of values.yaml.
value() {
  awk -v s="$1" -v k="$2" '/^[^ #]/ {in_s = ($0 ~ "^" s ":")}
    in_s && $0 ~ "^ +" k ":" {sub(/^ +[^:]+: */, ""); gsub(/"/, ""); print; exit}' helm/kubepd/values.yaml
}
tag=$(awk '/^appVersion:/ {gsub(/"/, "", $2); print $2}' helm/kubepd/Chart.yaml)
registry=$(value image registry)

for image in agent operator; do
  case $image in
    agent) archive=$dir/kubepd-dhcp-agent-$tag.oci.tar user=0:0 jar=/app/kubepd-dhcp-agent.jar ;;
    operator) archive=$dir/kubepd-operator-$tag.oci.tar user=65532:65532 jar=/app/kubepd-operator.jar ;;
  esac
  expected=$registry/$(value "$image" repository):$tag
  echo "== $expected ($archive)"
  if [[ ! -f $archive ]]; then fail "$archive exists (run scripts/build-images.sh)"; continue; fi
  index=$(tar -xOf "$archive" index.json)
  check "index names it $expected" test "$(jq -r '.manifests[0].annotations["io.containerd.image.name"]' <<<"$index")" = "$expected"
  check "ref.name is the tag $tag" test "$(jq -r '.manifests[0].annotations["org.opencontainers.image.ref.name"]' <<<"$index")" = "$tag"
  manifest=$(tar -xOf "$archive" "blobs/sha256/$(jq -r '.manifests[0].digest' <<<"$index" | cut -d: -f2)")
  config=$(tar -xOf "$archive" "blobs/sha256/$(jq -r '.config.digest' <<<"$manifest" | cut -d: -f2)")
  check "entrypoint is java -jar $jar" test "$(jq -c .config.Entrypoint <<<"$config")" = "[\"/opt/java/bin/java\",\"-jar\",\"$jar\"]"
  check "user is $user" test "$(jq -r .config.User <<<"$config")" = "$user"
  if command -v skopeo >/dev/null; then
    layout=$(mktemp -d)
    check "skopeo copies it, verifying every blob" skopeo copy --quiet "oci-archive:$archive" "oci:$layout:check"
    rm -rf "$layout"
  else
    echo "skip skopeo checks (apt-get install skopeo)"
  fi
  if [[ $EUID -ne 0 ]]; then
    echo "skip running the image (needs root)"
    continue
  fi
  version=$(scripts/run-image.sh --caps "" --tmpfs /tmp "$archive" --version 2>&1 || true)
  check "entrypoint runs: $version" grep -q "$tag" <<<"$version"
  if [[ $image == agent ]]; then
    check "ip runs: $(scripts/run-image.sh --caps net_admin --entrypoint /usr/bin/ip "$archive" -V 2>&1)" \
      scripts/run-image.sh --caps net_admin --entrypoint /usr/bin/ip "$archive" -V
  fi
done
((failures == 0)) || { echo "$failures check(s) failed"; exit 1; }
echo "all checks passed"
