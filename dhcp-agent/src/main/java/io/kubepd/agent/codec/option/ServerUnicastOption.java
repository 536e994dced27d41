package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.OptionCode;
import io.netty.buffer.ByteBuf;
import java.net.Inet6Address;
import java.util.Objects;

/** Server Unicast option (RFC 8415 §21.12): the address a client may unicast to this server. */
public record ServerUnicastOption(Inet6Address address) implements Dhcp6Option {
    public ServerUnicastOption {
        Objects.requireNonNull(address, "address");
    }

    @Override
    public OptionCode code() {
        return OptionCode.UNICAST;
    }

    @Override
    public void encodeData(ByteBuf out) {
        out.writeBytes(address.getAddress());
    }
}
