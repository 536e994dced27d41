#!/usr/bin/env bash
# Regenerates the CRD YAML from the Java classes and copies it into the Helm chart.
# With --pin, also replaces the pinned copies the compatibility test compares against: do that only when a field
# removal or type change is intended (a new API version, or before the first release).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl crds -am process-test-classes
generated=crds/target/classes/META-INF/fabric8
mkdir -p helm/kubepd/crds
cp "$generated"/*.yml helm/kubepd/crds/
echo "copied $(ls "$generated" | wc -l) CRDs into helm/kubepd/crds/"
if [[ "${1:-}" == "--pin" ]]; then
  mkdir -p crds/src/test/resources/pinned
  cp "$generated"/*.yml crds/src/test/resources/pinned/
  echo "pinned them in crds/src/test/resources/pinned/"
fi
