package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.OptionCode;
import io.netty.buffer.ByteBuf;
import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Prefix Exclude option (RFC 6603 §4.2), inside an IAPREFIX: the excluded prefix's length and its
 * subnet ID, i.e. the bits after the delegated prefix length, left-aligned and zero-padded.
 *
 * <p>The subnet ID only means something together with the IAPREFIX it sits in: {@link #excludedPrefix}
 * puts the two together, {@link #excluding} takes them apart.
 */
public record PdExcludeOption(int prefixLength, byte[] subnetId) implements Dhcp6Option {
    public PdExcludeOption {
        if (prefixLength < 1 || prefixLength > 128) {
            throw new IllegalArgumentException("excluded prefix length " + prefixLength + " outside 1..128");
        }
        if (subnetId.length < 1 || subnetId.length > 16) {
            throw new IllegalArgumentException("subnet ID of " + subnetId.length + " bytes, need 1..16");
        }
        subnetId = subnetId.clone();
    }

    /**
     * The option that excludes {@code excluded/excludedLength} from {@code delegated/delegatedLength}:
     * bits {@code delegatedLength} to {@code excludedLength - 1} of the excluded prefix, shifted left
     * by {@code delegatedLength mod 8} so that they start on an octet, zero-padded to the next octet.
     *
     * @throws IllegalArgumentException if the excluded prefix is not longer than, and inside, the delegated one
     */
    public static PdExcludeOption excluding(
            Inet6Address delegated, int delegatedLength, Inet6Address excluded, int excludedLength) {
        byte[] outer = delegated.getAddress();
        byte[] inner = excluded.getAddress();
        if (excludedLength <= delegatedLength || excludedLength > 128) {
            throw new IllegalArgumentException("excluded prefix length " + excludedLength + " must lie between "
                    + (delegatedLength + 1) + " and 128");
        }
        for (int bit = 0; bit < delegatedLength; bit++) {
            if (bit(outer, bit) != bit(inner, bit)) {
                throw new IllegalArgumentException("the excluded prefix lies outside the delegated prefix");
            }
        }
        int bits = excludedLength - delegatedLength;
        byte[] subnetId = new byte[(bits + 7) / 8];
        for (int i = 0; i < bits; i++) {
            if (bit(inner, delegatedLength + i)) {
                subnetId[i / 8] |= (byte) (0x80 >>> (i % 8));
            }
        }
        return new PdExcludeOption(excludedLength, subnetId);
    }

    /**
     * The excluded prefix's address when this option sits in an IAPREFIX for {@code delegated/delegatedLength}:
     * the delegated prefix's first {@code delegatedLength} bits followed by the subnet ID's bits, the rest zero.
     *
     * @throws IllegalArgumentException if the option does not fit that prefix: an excluded length not
     *     longer than the delegated one, or a subnet ID of another size than {@code prefixLength - delegatedLength}
     *     bits rounded up to whole octets (RFC 6603 §4.2)
     */
    public Inet6Address excludedPrefix(Inet6Address delegated, int delegatedLength) {
        if (prefixLength <= delegatedLength) {
            throw new IllegalArgumentException("excluded prefix length " + prefixLength
                    + " is not longer than the delegated prefix length " + delegatedLength);
        }
        int bits = prefixLength - delegatedLength;
        int octets = (bits + 7) / 8;
        if (subnetId.length != octets) {
            throw new IllegalArgumentException("subnet ID of " + subnetId.length + " bytes; " + bits
                    + " bits from /" + delegatedLength + " to /" + prefixLength + " take " + octets);
        }
        byte[] address = new byte[16];
        byte[] outer = delegated.getAddress();
        for (int bit = 0; bit < delegatedLength; bit++) {
            setIf(address, bit, bit(outer, bit));
        }
        // Padding bits after the subnet ID are ignored rather than refused: they carry no meaning.
        for (int i = 0; i < bits; i++) {
            setIf(address, delegatedLength + i, bit(subnetId, i));
        }
        try {
            return Inet6Address.getByAddress(null, address, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }

    private static boolean bit(byte[] bytes, int index) {
        return (bytes[index / 8] & (0x80 >>> (index % 8))) != 0;
    }

    private static void setIf(byte[] bytes, int index, boolean value) {
        if (value) {
            bytes[index / 8] |= (byte) (0x80 >>> (index % 8));
        }
    }

    @Override
    public byte[] subnetId() {
        return subnetId.clone();
    }

    @Override
    public OptionCode code() {
        return OptionCode.PD_EXCLUDE;
    }

    @Override
    public void encodeData(ByteBuf out) {
        out.writeByte(prefixLength).writeBytes(subnetId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PdExcludeOption other && prefixLength == other.prefixLength
                && Arrays.equals(subnetId, other.subnetId);
    }

    @Override
    public int hashCode() {
        return prefixLength * 31 + Arrays.hashCode(subnetId);
    }

    @Override
    public String toString() {
        return "PdExcludeOption[prefixLength=" + prefixLength + ", subnetId=" + HexFormat.of().formatHex(subnetId) + "]";
    }
}
