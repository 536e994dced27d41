package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.OptionCode;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An option this codec has no typed model for (such as IA_NA or a vendor option), kept as its code
 * and raw data so it re-encodes byte for byte.
 */
public record UnknownOption(OptionCode code, byte[] data) implements Dhcp6Option {
    public UnknownOption {
        Objects.requireNonNull(code, "code");
        if (data.length > MAX_DATA_LENGTH) {
            throw new IllegalArgumentException("option data of " + data.length + " bytes exceeds " + MAX_DATA_LENGTH);
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public void encodeData(ByteBuf out) {
        out.writeBytes(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownOption other && code.equals(other.code) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return code.hashCode() * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "UnknownOption[code=" + code + ", data=" + HexFormat.of().formatHex(data) + "]";
    }
}
