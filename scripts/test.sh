#!/usr/bin/env bash
# The one command that runs every test: unit tests, the real-API-server tests and, as root, the network-namespace
# tests against real DHCPv6 servers. Installs what it needs when it can (Debian packages as root, the Kubernetes
# binaries built from the Go module proxy), then runs `./mvnw verify`. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS

if [[ $EUID -eq 0 ]]; then
  ./scripts/install-test-deps.sh
else
  echo "[test] not root: the network-namespace tests will be skipped (run as root to include them)" >&2
fi
./scripts/kube-binaries.sh >/dev/null

./mvnw -B -ntp verify "$@"
echo "[test] all tests done in $((SECONDS - start)) s" >&2
