package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.codec.OptionCode;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/** Client Identifier option (RFC 8415 §21.2): the client's DUID. */
public record ClientIdOption(Duid duid) implements Dhcp6Option {
    public ClientIdOption {
        Objects.requireNonNull(duid, "duid");
    }

    @Override
    public OptionCode code() {
        return OptionCode.CLIENTID;
    }

    @Override
    public void encodeData(ByteBuf out) {
        out.writeBytes(duid.bytes());
    }
}
