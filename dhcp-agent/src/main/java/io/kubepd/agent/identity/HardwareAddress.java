package io.kubepd.agent.identity;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A link-layer address with its IANA hardware type (Linux ARPHRD_* values match it for Ethernet: 1).
 *
 * @param type hardware type, from {@code /sys/class/net/IF/type}
 * @param bytes the address, from {@code /sys/class/net/IF/address}
 */
public record HardwareAddress(int type, byte[] bytes) {

    public HardwareAddress {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Parses the colon-separated form sysfs prints, e.g. {@code 02:42:ac:11:00:02}. */
    public static HardwareAddress parse(int type, String text) {
        return new HardwareAddress(type, HexFormat.ofDelimiter(":").parseHex(text.strip()));
    }

    /** False for a missing or all-zero address (loopback, some tunnels), which cannot identify a host. */
    public boolean isUsable() {
        for (byte b : bytes) {
            if (b != 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HardwareAddress other && type == other.type && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(bytes);
    }
}
