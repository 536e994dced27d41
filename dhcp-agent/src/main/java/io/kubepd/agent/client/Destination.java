package io.kubepd.agent.client;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Where an outgoing message goes: the All_DHCP_Relay_Agents_and_Servers group, or a server's
 * unicast address when it sent a Server Unicast option (RFC 8415 §21.12).
 */
public record Destination(Inet6Address address) {
    /** ff02::1:2 (RFC 8415 §7.1). */
    public static final Destination ALL_DHCP_RELAY_AGENTS_AND_SERVERS = new Destination(parse("ff02::1:2"));

    public Destination {
        Objects.requireNonNull(address, "address");
    }

    public boolean isMulticast() {
        return address.isMulticastAddress();
    }

    private static Inet6Address parse(String literal) {
        try {
            return (Inet6Address) InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
