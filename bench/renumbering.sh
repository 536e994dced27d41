#!/usr/bin/env bash
# The renumbering benchmark of issue 5: one local cluster (real kube-apiserver, Kea in a router namespace, the
# operator, two agents in node namespaces), 50 renumberings by default, and for each one and node the time from the
# DHCPv6 Reply with the new prefix to the node's kernel route, the PrefixLease spec and the operator's status; then
# the agents' memory. Prints a markdown report and writes it with every sample (CSV) to bench/results/.
# Takes 4 to 6 minutes after the build. Needs root (network namespaces, routes, tcpdump).
# Options (passed on): --renumberings=N, --results-dir=DIR, --keep-files (keep every process's log),
# --chart-agent-jvm (the agents with the chart's agent.javaOptions instead of LocalCluster's; the results files get
# a -chart-jvm suffix), and --no-build to run on the jars already built.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $EUID -ne 0 ]]; then
  echo "renumbering.sh needs root: it creates network namespaces and routes and captures packets. Run: sudo $0" >&2
  exit 1
fi
build=true
args=()
for arg in "$@"; do
  if [[ $arg == --no-build ]]; then build=false; else args+=("$arg"); fi
done
./scripts/install-test-deps.sh
./scripts/kube-binaries.sh >/dev/null
if $build; then
  echo "==> building kubepd"
  ./mvnw -q -B -ntp install -DskipTests -Djazzer.skip
fi
exec ./mvnw -q -B -ntp -o -pl e2e exec:java -Dexec.mainClass=io.kubepd.e2e.bench.RenumberingBench \
  -Dexec.args="${args[*]:-}" -Dexec.cleanupDaemonThreads=false
