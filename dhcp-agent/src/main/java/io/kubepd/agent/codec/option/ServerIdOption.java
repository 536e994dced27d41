package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.codec.OptionCode;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/** Server Identifier option (RFC 8415 §21.3): the server's DUID. */
public record ServerIdOption(Duid duid) implements Dhcp6Option {
    public ServerIdOption {
        Objects.requireNonNull(duid, "duid");
    }

    @Override
    public OptionCode code() {
        return OptionCode.SERVERID;
    }

    @Override
    public void encodeData(ByteBuf out) {
        out.writeBytes(duid.bytes());
    }
}
