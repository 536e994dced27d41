package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.OptionCode;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Prefix Exclude option (RFC 6603 §4.2), inside an IAPREFIX: the excluded prefix's length and its
 * subnet ID, i.e. the bits after the delegated prefix length, left-aligned and zero-padded.
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
