#!/usr/bin/env bash
# Captures kubepd's DHCPv6 agent talking to ISC Kea and ISC dhcpd in a network-namespace lab this script builds and
# removes (no packet leaves the namespaces) and writes every exchange as annotated hex to
# dhcp-agent/src/test/resources/captures/, the golden bytes of the agent's CapturedExchangeTest and
# CapturedExchangeClientTest (io.kubepd.e2e.bench.Dhcp6GoldenCaptures says what is captured and how).
# About a minute after the build. Needs root. Options: --out-dir DIR, --keep-files; --help lists them.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $EUID -ne 0 ]]; then
  echo "capture-dhcp6.sh needs root: it creates network namespaces. Run: sudo $0" >&2
  exit 1
fi
./scripts/install-test-deps.sh
echo "==> building kubepd" >&2
./mvnw -q -B -ntp -o -pl e2e -am install -DskipTests -Djazzer.skip
exec ./mvnw -q -B -ntp -o -pl e2e exec:java -Dexec.mainClass=io.kubepd.e2e.bench.Dhcp6GoldenCaptures \
  -Dexec.args="$*" -Dexec.cleanupDaemonThreads=false
