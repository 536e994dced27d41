package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.OptionCode;
import io.netty.buffer.ByteBuf;
import java.net.Inet6Address;
import java.util.List;

/** DNS Recursive Name Server option (RFC 3646 §3): IPv6 addresses of resolvers. */
public record DnsServersOption(List<Inet6Address> servers) implements Dhcp6Option {
    public DnsServersOption {
        servers = List.copyOf(servers);
    }

    @Override
    public OptionCode code() {
        return OptionCode.DNS_SERVERS;
    }

    @Override
    public void encodeData(ByteBuf out) {
        servers.forEach(server -> out.writeBytes(server.getAddress()));
    }
}
