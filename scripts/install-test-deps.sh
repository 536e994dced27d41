#!/usr/bin/env bash
# Installs the Debian packages the DHCPv6 lab (testkit io.kubepd.testkit.lab) needs: network namespace tools,
# two DHCPv6 servers (ISC Kea, ISC dhcpd), two peer clients (dhclient, dhcpcd), the reference CNI plugins
# (bridge, host-local) the agent's pod CIDR ranges are tested with, and tcpdump, which the renumbering benchmark
# and the client benchmark use to timestamp DHCPv6 packets on the wire. Also what the image tests use: jq and binutils
# (scripts/build-images.sh), capsh (scripts/run-image.sh) and skopeo (reads the archives as a registry client would).
# The servers are only ever run by the tests, inside namespaces; this script makes sure the packages never start
# them as host services, because a DHCP server on a real interface would answer the host's network.
# Idempotent: prints nothing and changes nothing when every package is present.
set -euo pipefail

# package -> a binary that proves it works (dhcpcd-base ships the daemon without the service unit of `dhcpcd`).
declare -A PROBE=(
  [iproute2]=/usr/sbin/ip
  [iputils-ping]=/usr/bin/ping
  [kea-dhcp6-server]=/usr/sbin/kea-dhcp6
  [isc-dhcp-server]=/usr/sbin/dhcpd
  [isc-dhcp-client]=/sbin/dhclient
  [dhcpcd-base]=/usr/sbin/dhcpcd
  [socat]=/usr/bin/socat
  [containernetworking-plugins]=/usr/lib/cni/host-local
  [tcpdump]=/usr/bin/tcpdump
  [jq]=/usr/bin/jq
  [binutils]=/usr/bin/readelf
  [libcap2-bin]=/usr/sbin/capsh
  [skopeo]=/usr/bin/skopeo
)
# Services these packages register; kept stopped and disabled on the host.
SERVICES=(kea-dhcp6-server kea-dhcp4-server kea-ctrl-agent kea-dhcp-ddns-server isc-dhcp-server isc-dhcp-server6 dhcpcd)

missing=()
for pkg in "${!PROBE[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || [[ ! -x ${PROBE[$pkg]} ]]; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "DHCPv6 lab test dependencies missing: ${missing[*]}" >&2
  echo "Install them as root (services must not autostart):" >&2
  echo "  sudo $0" >&2
  exit 1
fi

# policy-rc.d exit 101 tells invoke-rc.d (used by the packages' maintainer scripts) not to start any service.
# Docker images often have one already; only add and remove our own.
policy=/usr/sbin/policy-rc.d
own_policy=false
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  own_policy=true
fi
cleanup() { if $own_policy; then rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
echo "Installing DHCPv6 lab test dependencies: ${missing[*]}"
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" >/dev/null

for svc in "${SERVICES[@]}"; do
  if [[ -d /run/systemd/system ]] && systemctl list-unit-files "$svc.service" >/dev/null 2>&1; then
    systemctl disable --now "$svc.service" >/dev/null 2>&1 || true
  elif [[ -x /etc/init.d/$svc ]]; then
    /etc/init.d/"$svc" stop >/dev/null 2>&1 || true
    update-rc.d "$svc" disable >/dev/null 2>&1 || true
  fi
done
echo "DHCPv6 lab test dependencies installed; their services are disabled."
