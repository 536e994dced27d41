package io.kubepd.agent.uplink;

import io.kubepd.agent.client.Clock;
import io.kubepd.agent.client.ClientState;
import io.kubepd.agent.client.Dhcp6Client;
import io.kubepd.agent.client.Dhcp6ClientConfig;
import io.kubepd.agent.client.DropReason;
import io.kubepd.agent.client.Lease;
import io.kubepd.agent.client.LeaseEvent;
import io.kubepd.agent.client.LeaseListener;
import io.kubepd.agent.client.Scheduler;
import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.lease.LeaseStore;
import io.kubepd.agent.transport.DatagramIo;
import io.kubepd.agent.transport.TransportConfig;
import io.kubepd.agent.transport.TransportException;
import io.kubepd.agent.transport.TransportMetrics;
import io.kubepd.agent.transport.UdpPortOwners;
import io.kubepd.agent.transport.UplinkProbe;
import io.kubepd.agent.transport.UplinkState;
import io.kubepd.agent.transport.UplinkTransport;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One uplink's DHCPv6-PD client with everything around it: the UDP transport it talks through, the leases it
 * persists after every change and restores at start. Client, transport and timers share one event loop, so the
 * client sees one thread, as it requires. Standalone and Kubernetes modes differ only in what listens to the events.
 */
public final class Uplink {

    private static final Logger LOG = LoggerFactory.getLogger(Uplink.class);
    // How often a Release in progress is checked for completion; it ends within RFC 8415's REL_MAX_RC tries.
    private static final Duration RELEASE_POLL = Duration.ofMillis(50);

    /**
     * What to ask for on one uplink.
     *
     * @param iaids one IAID per IA_PD, each an independent lease, stable for this interface (see
     *     {@code IdentityStore})
     * @param prefixLengthHint prefix length to ask for, 0 for none
     * @param rapidCommit offer the two-message exchange
     * @param initialDelay wait the random 0..1 s before the first Solicit
     */
    public record Settings(TransportConfig transport, Duid duid, List<Long> iaids, int prefixLengthHint,
            boolean rapidCommit, boolean initialDelay) {
        public Settings {
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(duid, "duid");
            iaids = List.copyOf(iaids);
        }

        public String interfaceName() {
            return transport.interfaceName();
        }
    }

    private final Settings settings;
    private final LeaseStore leaseStore;
    private final EventLoop loop;
    private final LeaseListener listener;
    private final UplinkTransport transport;
    private final Dhcp6Client client;
    // Set on the event loop once the client runs (after the transport bound). Before that the file is the copy that
    // counts: a failed start (port 546 taken) must not rewrite it with only what this client could restore.
    private boolean clientStarted;
    private final CompletableFuture<Void> restored = new CompletableFuture<>();
    // The client's drop counters, copied on the event loop after each message it handled: readable from any thread,
    // as the client itself is not.
    private volatile Map<DropReason, Long> clientDrops = Map.of();

    /**
     * @param listener hears every lease event, on the event loop, after the lease file is written
     * @param onFailure hears a transport failure the uplink cannot recover from (e.g. port 546 taken)
     */
    public Uplink(Settings settings, LeaseStore leaseStore, EventLoop loop, DatagramIo io, LeaseListener listener,
            Consumer<TransportException> onFailure) {
        this(settings, leaseStore, loop, io, new UplinkProbe(), listener, onFailure);
    }

    /** As the public constructor, reading the interface through {@code probe} (a fake /sys and /proc in tests). */
    Uplink(Settings settings, LeaseStore leaseStore, EventLoop loop, DatagramIo io, UplinkProbe probe,
            LeaseListener listener, Consumer<TransportException> onFailure) {
        this.settings = settings;
        this.leaseStore = leaseStore;
        this.loop = loop;
        this.listener = listener;
        String name = settings.interfaceName();
        this.transport = new UplinkTransport(settings.transport(), probe, new UdpPortOwners(), loop, io,
                received -> {
                    client().onMessage(received.message(), received.source().getAddress());
                    clientDrops = client().dropCounts();
                },
                new LinkLog(name, onFailure), new TransportMetrics());
        this.client = new Dhcp6Client(
                new Dhcp6ClientConfig(name, settings.duid(), settings.iaids(), settings.prefixLengthHint(),
                        settings.rapidCommit(), settings.initialDelay()),
                Clock.system(), Scheduler.on(loop), new SecureRandom(),
                (message, destination, written) -> transport.send(message, destination.address(), written),
                this::onLeaseEvent);
    }

    // The transport's receiver is created before the client it delivers to; it only runs once both exist.
    private Dhcp6Client client() {
        return client;
    }

    public String interfaceName() {
        return settings.interfaceName();
    }

    /** Counters of the uplink's socket: datagrams received, sent, dropped by reason. */
    public TransportMetrics transportMetrics() {
        return transport.metrics();
    }

    /** Messages the client discarded after decoding, by reason, as of the last one it handled; any thread. */
    public Map<DropReason, Long> clientDropCounts() {
        return clientDrops;
    }

    /**
     * Loads the stored leases and hands them to the client (RESTORED events, see {@link #restored()}), binds the
     * transport and starts the client: Rebind for restored leases, Solicit otherwise. Fails if the interface does
     * not exist or another process holds the client port.
     */
    public CompletableFuture<Void> start() {
        List<Lease> stored;
        try {
            stored = leaseStore.load();
        } catch (IOException e) {
            restored.complete(null);
            return CompletableFuture.failedFuture(e);
        }
        // Restored before the transport binds, which can wait for a usable link-local address: the node keeps
        // routing its prefixes meanwhile instead of seeing an uplink without leases.
        return CompletableFuture.runAsync(() -> {
            if (!stored.isEmpty()) {
                LOG.info("{}: restoring {} stored prefix(es): {}", interfaceName(), stored.size(),
                        stored.stream().map(Lease::cidr).toList());
            }
            try {
                client.restore(stored);
            } finally {
                restored.complete(null);
            }
        }, loop).thenCompose(ignored -> transport.start()).thenRunAsync(() -> {
            client.start();
            clientStarted = true;
        }, loop);
    }

    /**
     * Completes, on the event loop, once the stored leases were handed to the client and reported as RESTORED
     * (or there were none, or they could not be read).
     */
    public CompletableFuture<Void> restored() {
        return restored;
    }

    /**
     * Stops the client and closes the socket. With {@code release}, sends Release first and waits for its Reply (or
     * its last retransmission) up to {@code releaseTimeout}; without, the leases stay stored for the next start, as
     * RFC 9096 wants for a restarting CE router. An uplink that never started leaves its lease file alone.
     */
    public CompletableFuture<Void> stop(boolean release, Duration releaseTimeout) {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        loop.execute(() -> {
            if (release && clientStarted) {
                client.release();
                awaitStopped(System.nanoTime() + releaseTimeout.toNanos(), stopped);
            } else {
                client.stop();
                stopped.complete(null);
            }
        });
        return stopped.thenCompose(ignored -> {
            if (clientStarted) {
                persist();
            }
            TransportMetrics metrics = transport.metrics();
            LOG.info("{}: stopped; {} datagrams received, {} sent, dropped by the transport {}, by the client {}",
                    interfaceName(), metrics.receivedCount(), metrics.sentCount(), metrics.droppedByReason(),
                    clientDrops);
            return transport.closeAsync();
        });
    }

    private void awaitStopped(long deadline, CompletableFuture<Void> stopped) {
        if (client.state() == ClientState.STOPPED) {
            stopped.complete(null);
        } else if (System.nanoTime() - deadline >= 0) {
            LOG.warn("{}: Release not answered in time; stopping anyway", interfaceName());
            client.stop();
            stopped.complete(null);
        } else {
            loop.schedule(() -> awaitStopped(deadline, stopped), RELEASE_POLL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void onLeaseEvent(LeaseEvent event) {
        // A restored lease comes from the file: writing it back would only repeat the read, once per lease.
        if (event.type() != LeaseEvent.Type.RESTORED) {
            persist();
        }
        try {
            listener.onLeaseEvent(event);
        } catch (RuntimeException e) {
            LOG.error("{}: lease listener failed on {}", interfaceName(), event, e);
        }
    }

    private void persist() {
        try {
            leaseStore.save(client.leases());
        } catch (IOException e) {
            // The lease itself is fine; only a restart would lose it. Loud, but not fatal.
            LOG.error("{}: cannot write the lease file; a restart would not find this lease: {}", interfaceName(),
                    e.toString());
        }
    }

    /** Logs link changes; the client's own retransmission carries it over a short outage. */
    private record LinkLog(String interfaceName, Consumer<TransportException> onFailure)
            implements UplinkTransport.LinkListener {
        @Override
        public void linkUp(UplinkState.Ready link) {
            LOG.debug("{}: link up on index {}", interfaceName, link.ifindex());
        }

        @Override
        public void linkDown(UplinkState state) {
            LOG.debug("{}: link down: {}", interfaceName, state);
        }

        @Override
        public void failed(TransportException error) {
            onFailure.accept(error);
        }
    }
}
