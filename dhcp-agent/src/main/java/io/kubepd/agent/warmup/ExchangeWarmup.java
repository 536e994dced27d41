package io.kubepd.agent.warmup;

import io.kubepd.agent.client.Dhcp6Client;
import io.kubepd.agent.client.Dhcp6ClientConfig;
import io.kubepd.agent.client.Lease;
import io.kubepd.agent.client.LeaseEvent;
import io.kubepd.agent.client.LeaseListener;
import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.lease.LeaseStore;
import io.kubepd.agent.transport.OfflinePipeline;
import io.kubepd.agent.transport.TransportConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.helpers.NOPLogger;

/**
 * The warm-up's main part: throwaway clients in virtual time go through a 4-message exchange with and without
 * Preference 255, a Rapid Commit exchange and a Rebind, against an in-memory server, every message through the real
 * codec and netty pipeline handlers, every lease through the lease file's JSON mapping. It creates loggers (its
 * classes have them), so it runs only once the log level is set; its clients log nowhere.
 */
final class ExchangeWarmup {

    private static final String INTERFACE = "warm-up";
    private static final Duid CLIENT_DUID = Duid.ll(new byte[] {0x02, 0, 0, 0, 0, 0x01});
    private static final InetSocketAddress SERVER =
            new InetSocketAddress(TransportConfig.ALL_DHCP_RELAY_AGENTS_AND_SERVERS, TransportConfig.SERVER_PORT);
    private static final InetSocketAddress SERVER_SOURCE =
            new InetSocketAddress(WarmupServer.LINK_LOCAL, TransportConfig.SERVER_PORT);
    // Long enough for a Solicit's first RT (1 s plus up to 10 %), far shorter than the leases' T1.
    private static final Duration EXCHANGE_TIME = Duration.ofSeconds(2);
    private static final Duration SERVER_LATENCY = Duration.ofMillis(1);

    private ExchangeWarmup() {
    }

    /** Runs the exchanges on the calling thread; {@code hook} hears each throwaway client's events. */
    static void run(LeaseListener hook) throws IOException {
        // In the order the real client may need them: a first Advertise or Reply comes a round trip after the first
        // Solicit, the end of the Solicit's first RT a second later, a Rebind only after a restart.
        exchange(false, false, 255, List.of(), hook);
        exchange(true, true, -1, List.of(), hook);
        List<Lease> bound = exchange(false, false, -1, List.of(), hook);
        exchange(false, false, -1, bound, hook);
    }

    /** One throwaway client from start until its first exchange ends; returns the leases it holds then. */
    private static List<Lease> exchange(boolean rapidCommit, boolean serverAllowsRapidCommit, int preference,
            List<Lease> restored, LeaseListener hook) throws IOException {
        VirtualTime time = new VirtualTime(Instant.now());
        WarmupServer server = new WarmupServer(serverAllowsRapidCommit, preference);
        AtomicReference<Dhcp6Client> client = new AtomicReference<>();
        try (OfflinePipeline pipeline = new OfflinePipeline(INTERFACE,
                received -> client.get().onMessage(received.message(), received.source().getAddress()))) {
            Dhcp6ClientConfig config = new Dhcp6ClientConfig(INTERFACE, CLIENT_DUID, List.of(1L), 56, rapidCommit,
                    false);
            client.set(new Dhcp6Client(config, time, time, new Random(1),
                    (message, destination, written) -> {
                        byte[] datagram = pipeline.send(message, SERVER);
                        // Written within the call, as the pipeline is: the retransmission timer starts now.
                        written.run();
                        server.answer(datagram).ifPresent(answer -> time.schedule("answer", SERVER_LATENCY,
                                () -> pipeline.receive(answer, SERVER_SOURCE)));
                    },
                    event -> {
                        try {
                            LeaseStore.warmUp(INTERFACE, client.get().leases());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        hook.onLeaseEvent(event);
                    },
                    NOPLogger.NOP_LOGGER));
            client.get().start(restored);
            time.advance(EXCHANGE_TIME);
            List<Lease> leases = List.copyOf(client.get().leases());
            client.get().stop();
            return leases;
        }
    }
}
