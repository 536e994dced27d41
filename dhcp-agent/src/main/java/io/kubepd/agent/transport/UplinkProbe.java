package io.kubepd.agent.transport;

import io.kubepd.agent.identity.HardwareAddress;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Reads the state of an uplink interface from the kernel's text interfaces: {@code /sys/class/net/IF} for existence,
 * index and hardware address, {@code /proc/net/if_inet6} for its IPv6 addresses with their DAD flags (which
 * {@link java.net.NetworkInterface} does not expose, and a tentative address cannot be bound).
 *
 * <p>Both files describe the network namespace of the reading process, so under {@code ip netns exec} this sees the
 * namespace's interfaces.
 */
public final class UplinkProbe {

    // include/uapi/linux/if_addr.h
    private static final int IFA_F_DADFAILED = 0x08;
    private static final int IFA_F_TENTATIVE = 0x40;
    // include/net/ipv6.h IPV6_ADDR_LINKLOCAL as printed in if_inet6's scope column
    private static final int SCOPE_LINK = 0x20;

    private final Path sysClassNet;
    private final Path ifInet6;

    /** Probe of the running system. */
    public UplinkProbe() {
        this(Path.of("/sys/class/net"), Path.of("/proc/net/if_inet6"));
    }

    /** Probe of copies of the kernel files, for tests. */
    public UplinkProbe(Path sysClassNet, Path ifInet6) {
        this.sysClassNet = sysClassNet;
        this.ifInet6 = ifInet6;
    }

    /** The current state of the interface {@code name}. */
    public UplinkState probe(String name) throws IOException {
        Path dir = sysClassNet.resolve(name);
        Optional<String> index = readLine(dir.resolve("ifindex"));
        if (index.isEmpty()) {
            return new UplinkState.Missing(name);
        }
        int ifindex = Integer.parseInt(index.get());
        List<String> lines = Files.readAllLines(ifInet6);
        String tentative = null;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            // address ifindex(hex) prefixlen(hex) scope(hex) flags(hex) name
            if (f.length < 6 || !f[5].equals(name) || Integer.parseInt(f[3], 16) != SCOPE_LINK) {
                continue;
            }
            int flags = Integer.parseInt(f[4], 16);
            if ((flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)) != 0) {
                tentative = f[0] + ((flags & IFA_F_DADFAILED) != 0 ? " (duplicate address detection failed)"
                        : " (tentative, duplicate address detection running)");
                continue;
            }
            long carrierChanges = carrierChanges(dir);
            return new UplinkState.Ready(name, ifindex, linkLocal(f[0], ifindex), carrierChanges);
        }
        String why = tentative != null
                ? "its link-local address " + tentative + " is not usable yet"
                : "it has no IPv6 link-local address (down, or IPv6 disabled)";
        return new UplinkState.NotReady(name, why);
    }

    /** The interface's link-layer address and type, empty if it has none (or is gone). */
    public Optional<HardwareAddress> hardwareAddress(String name) throws IOException {
        Path dir = sysClassNet.resolve(name);
        Optional<String> type = readLine(dir.resolve("type"));
        Optional<String> address = readLine(dir.resolve("address"));
        if (type.isEmpty() || address.isEmpty() || address.get().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(HardwareAddress.parse(Integer.parseInt(type.get()), address.get()));
    }

    private static long carrierChanges(Path dir) {
        try {
            return readLine(dir.resolve("carrier_changes")).map(Long::parseLong).orElse(0L);
        } catch (IOException | NumberFormatException e) {
            // Some virtual devices refuse the read; the address check alone still sees most flaps.
            return 0L;
        }
    }

    private static Optional<String> readLine(Path file) throws IOException {
        try {
            return Optional.of(Files.readString(file).strip());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static Inet6Address linkLocal(String hex, int ifindex) {
        try {
            return Inet6Address.getByAddress(null, HexFormat.of().parseHex(hex), ifindex);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("if_inet6 address " + hex + " is not 16 bytes", e);
        }
    }
}
