package io.kubepd.agent.client;

import io.netty.util.NetUtil;
import java.util.List;
import java.util.Objects;

/**
 * The resolvers and search domains a server sent with a lease (RFC 3646 options, DNS_SERVERS and DOMAIN_LIST):
 * kept so that users can see what the upstream offers, e.g. to configure a cluster DNS's upstreams.
 *
 * @param servers IPv6 addresses in RFC 5952 text, in the server's order
 * @param searchList domain names in presentation format without the trailing dot
 */
public record DnsConfig(List<String> servers, List<String> searchList) {
    /** Nothing sent. */
    public static final DnsConfig NONE = new DnsConfig(List.of(), List.of());

    public DnsConfig {
        servers = servers == null ? List.of() : servers.stream().map(DnsConfig::ipv6).toList();
        searchList = searchList == null ? List.of() : List.copyOf(searchList);
        searchList.forEach(name -> Objects.requireNonNull(name, "search domain"));
    }

    private static String ipv6(String text) {
        byte[] address = NetUtil.createByteArrayFromIpAddressString(Objects.requireNonNull(text, "DNS server"));
        if (address == null || address.length != 16) {
            throw new IllegalArgumentException("DNS server \"" + text + "\" is not an IPv6 address");
        }
        return NetUtil.bytesToIpAddress(address);
    }
}
