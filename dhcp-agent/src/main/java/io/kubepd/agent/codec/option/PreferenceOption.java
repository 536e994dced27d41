package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.OptionCode;
import io.netty.buffer.ByteBuf;

/** Preference option (RFC 8415 §21.8): the server's preference 0..255; 255 means "take me now". */
public record PreferenceOption(int preference) implements Dhcp6Option {
    /** The preference that makes a client stop collecting Advertises (RFC 8415 §18.2.1). */
    public static final int MAX = 255;

    public PreferenceOption {
        if (preference < 0 || preference > MAX) {
            throw new IllegalArgumentException("preference " + preference + " outside 0.." + MAX);
        }
    }

    @Override
    public OptionCode code() {
        return OptionCode.PREFERENCE;
    }

    @Override
    public void encodeData(ByteBuf out) {
        out.writeByte(preference);
    }
}
