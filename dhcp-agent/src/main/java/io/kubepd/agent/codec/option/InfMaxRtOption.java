package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.OptionCode;
import io.netty.buffer.ByteBuf;

/** INF_MAX_RT option (RFC 8415 §21.25): the server's override of the Information-request MRT, in seconds. */
public record InfMaxRtOption(long seconds) implements Dhcp6Option {
    public InfMaxRtOption {
        Uint32.check(seconds, "INF_MAX_RT");
    }

    @Override
    public OptionCode code() {
        return OptionCode.INF_MAX_RT;
    }

    @Override
    public void encodeData(ByteBuf out) {
        out.writeInt((int) seconds);
    }
}
