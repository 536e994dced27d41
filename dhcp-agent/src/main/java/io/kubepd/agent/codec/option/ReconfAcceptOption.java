package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.OptionCode;
import io.netty.buffer.ByteBuf;

/** Reconfigure Accept option (RFC 8415 §21.20): the client is willing to accept Reconfigure. */
public record ReconfAcceptOption() implements Dhcp6Option {
    @Override
    public OptionCode code() {
        return OptionCode.RECONF_ACCEPT;
    }

    @Override
    public void encodeData(ByteBuf out) {
        // no data
    }
}
