package io.kubepd.agent.transport;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the transport of one uplink listens and sends.
 *
 * @param interfaceName the uplink, e.g. {@code eth0}
 * @param clientPort UDP port to bind, 546 (RFC 8415 §7.2) except in tests
 * @param serverPort UDP port of servers and relay agents, 547
 * @param serverAddress where messages go: All_DHCP_Relay_Agents_and_Servers {@code ff02::1:2} (RFC 8415 §7.1)
 * @param linkCheckInterval how often the interface is checked for address and index changes
 */
public record TransportConfig(
        String interfaceName, int clientPort, int serverPort, Inet6Address serverAddress, Duration linkCheckInterval) {

    public static final int CLIENT_PORT = 546;
    public static final int SERVER_PORT = 547;
    public static final Inet6Address ALL_DHCP_RELAY_AGENTS_AND_SERVERS = inet6("ff02::1:2");
    // The kernel offers no address events short of netlink; a one-second poll of two small files is cheap and bounds
    // how long a rebind after an interface flap takes.
    public static final Duration DEFAULT_LINK_CHECK_INTERVAL = Duration.ofSeconds(1);

    public TransportConfig {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(serverAddress, "serverAddress");
        Objects.requireNonNull(linkCheckInterval, "linkCheckInterval");
        if (clientPort < 1 || clientPort > 65535 || serverPort < 1 || serverPort > 65535) {
            throw new IllegalArgumentException("ports out of range: " + clientPort + ", " + serverPort);
        }
    }

    private static Inet6Address inet6(String literal) {
        try {
            return (Inet6Address) InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
