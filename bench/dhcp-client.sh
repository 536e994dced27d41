#!/usr/bin/env bash
# The DHCPv6-PD client benchmark of issue 3: kubepd's standalone agent against dhcpcd and ISC dhclient, all talking
# to one ISC Kea in a network-namespace lab this script builds and removes (no traffic leaves the namespaces).
# Prints a Markdown report and writes it to bench/results/dhcp-client-DATE.md. About 8 minutes with the defaults.
# Needs root (network and mount namespaces). Options: --rounds N (10), --jvm-rounds N (4, 0 skips the JVM option
# comparison), --keep-files, --results-dir DIR, --seed N; --help lists them.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $EUID -ne 0 ]]; then
  echo "dhcp-client.sh needs root: it creates network namespaces. Run: sudo $0" >&2
  exit 1
fi
./scripts/install-test-deps.sh
echo "==> building kubepd" >&2
./mvnw -q -B -ntp -o -pl e2e -am install -DskipTests -Djazzer.skip
exec ./mvnw -q -B -ntp -o -pl e2e exec:java -Dexec.mainClass=io.kubepd.e2e.bench.DhcpClientBench \
  -Dexec.args="$*" -Dexec.cleanupDaemonThreads=false
