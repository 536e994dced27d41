package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.OptionCode;
import io.netty.buffer.ByteBuf;

/** SOL_MAX_RT option (RFC 8415 §21.24): the server's override of the Solicit MRT, in seconds. */
public record SolMaxRtOption(long seconds) implements Dhcp6Option {
    public SolMaxRtOption {
        Uint32.check(seconds, "SOL_MAX_RT");
    }

    @Override
    public OptionCode code() {
        return OptionCode.SOL_MAX_RT;
    }

    @Override
    public void encodeData(ByteBuf out) {
        out.writeInt((int) seconds);
    }
}
