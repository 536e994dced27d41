package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.MessageType;
import io.kubepd.agent.codec.OptionCode;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/** Reconfigure Message option (RFC 8415 §21.19): which message a Reconfigure asks the client to send. */
public record ReconfMsgOption(MessageType messageType) implements Dhcp6Option {
    public ReconfMsgOption {
        Objects.requireNonNull(messageType, "messageType");
    }

    @Override
    public OptionCode code() {
        return OptionCode.RECONF_MSG;
    }

    @Override
    public void encodeData(ByteBuf out) {
        out.writeByte(messageType.code());
    }
}
