package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.OptionCode;
import io.netty.buffer.ByteBuf;

/** Rapid Commit option (RFC 8415 §21.14): asks for, or confirms, the two-message exchange. */
public record RapidCommitOption() implements Dhcp6Option {
    @Override
    public OptionCode code() {
        return OptionCode.RAPID_COMMIT;
    }

    @Override
    public void encodeData(ByteBuf out) {
        // no data
    }
}
