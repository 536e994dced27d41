package io.kubepd.agent.cli;

import io.kubepd.agent.identity.DuidKind;
import io.kubepd.agent.transport.TransportConfig;
import picocli.CommandLine.Option;

/** The DHCPv6 client options both modes share (a picocli mixin), and the transport they make for an uplink. */
public final class ClientOptions {

    @Option(names = "--duid-type", paramLabel = "TYPE", defaultValue = "LL",
            description = "DUID to create on first start if none is stored: ${COMPLETION-CANDIDATES}"
                    + " (default: ${DEFAULT-VALUE}, from the first uplink's MAC).")
    DuidKind duidKind;

    @Option(names = "--no-initial-delay",
            description = "Send the first Solicit at once instead of after a random 0-1 s (RFC 8415 18.2.1).")
    boolean noInitialDelay;

    @Option(names = "--client-port", hidden = true, defaultValue = "546",
            description = "UDP port to bind; for tests only.")
    int clientPort;

    /** The transport of one uplink: the client port, the standard server port and multicast address. */
    TransportConfig transport(String interfaceName) {
        return new TransportConfig(interfaceName, clientPort, TransportConfig.SERVER_PORT,
                TransportConfig.ALL_DHCP_RELAY_AGENTS_AND_SERVERS, TransportConfig.DEFAULT_LINK_CHECK_INTERVAL);
    }
}
