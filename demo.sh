#!/usr/bin/env bash
# The local demo: kubepd on this machine with a real kube-apiserver, ISC Kea delegating prefixes in a router
# network namespace, the operator, and two agents in node namespaces. Shows `kubectl get prefixleases -o wide` and
# pings random addresses of each node's pod CIDR from the router. Ctrl-C stops it and removes everything.
# Needs root (network namespaces, routes). Pass --once to exit after the demo instead of waiting for Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")"
if [[ $EUID -ne 0 ]]; then
  echo "demo.sh needs root: it creates network namespaces and routes. Run: sudo $0" >&2
  exit 1
fi
./scripts/install-test-deps.sh
./scripts/kube-binaries.sh >/dev/null
echo "==> building kubepd (first time: a few minutes)"
./mvnw -q -B -ntp install -DskipTests
exec ./mvnw -q -B -ntp -o -pl e2e exec:java -Dexec.mainClass=io.kubepd.e2e.Demo -Dexec.args="$*" \
  -Dexec.cleanupDaemonThreads=false
