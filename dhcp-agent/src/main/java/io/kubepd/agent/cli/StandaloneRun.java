package io.kubepd.agent.cli;

import io.kubepd.agent.client.LeaseEvent;
import io.kubepd.agent.client.LeaseListener;
import io.kubepd.agent.identity.IdentityStore;
import io.kubepd.agent.lease.LeaseStore;
import io.kubepd.agent.lease.StateDirectory;
import io.kubepd.agent.transport.DatagramIo;
import io.kubepd.agent.transport.TransportException;
import io.kubepd.agent.transport.UplinkProbe;
import io.kubepd.agent.transport.UplinkState;
import io.kubepd.agent.uplink.Uplink;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/** One run of {@code dhcp-agent standalone}: starts an {@link Uplink} per interface and reports their events. */
final class StandaloneRun {

    // Events that mean a server has just confirmed a prefix: what --once waits for on every interface.
    private static final Set<LeaseEvent.Type> CONFIRMED =
            EnumSet.of(LeaseEvent.Type.BOUND, LeaseEvent.Type.RENEWED, LeaseEvent.Type.REBOUND,
                    LeaseEvent.Type.CHANGED);
    // A Release is retransmitted up to REL_MAX_RC = 4 times from REL_TIMEOUT = 1 s (RFC 8415 §7.6), about 15 s;
    // Kubernetes grants 30 s before SIGKILL.
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final StandaloneCommand options;
    private final Logger log;
    private final Clock wallClock = Clock.systemUTC();
    private final CompletableFuture<Integer> outcome = new CompletableFuture<>();
    /** With --once: the IA_PDs, as {@code <interface>/<iaid>}, that have no confirmed prefix yet. */
    private final Set<String> awaitingBind = ConcurrentHashMap.newKeySet();
    private final List<Uplink> uplinks = new ArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final EventPrinter printer = new EventPrinter(System.out);

    StandaloneRun(StandaloneCommand options, Logger log) {
        this.options = options;
        this.log = log;
    }

    /** What the warm-up does with its events: what a real event goes through before stdout, short of printing. */
    static LeaseListener warmUpListener() {
        LeaseChangeTracker tracker = new LeaseChangeTracker("warm-up");
        return event -> EventPrinter.toJson(tracker.track(event, Instant.now()));
    }

    int run() throws StartupException, InterruptedException {
        UplinkProbe probe = new UplinkProbe();
        for (String name : options.interfaces) {
            if (probeOrFail(probe, name) instanceof UplinkState.Missing) {
                throw new StartupException("interface " + name + " not found; set --interface", null);
            }
        }
        DatagramIo io = DatagramIo.detect();
        // One thread for every uplink: a DHCPv6 client sends a handful of messages an hour.
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io.ioHandlerFactory());
        OnChangeHook hook = options.onChange == null ? null : new OnChangeHook(options.onChange);
        StateDirectory state = null;
        Thread shutdownHook = new Thread(() -> stop(options.releaseOnExit, group, hook), "standalone-shutdown");
        try {
            state = openState();
            IdentityStore identity = loadIdentity(state, probe);
            for (String name : options.interfaces) {
                uplinks.add(uplink(name, identity, state, group, io, hook));
            }
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            for (Uplink uplink : uplinks) {
                startOrFail(uplink);
            }
            if (options.once && options.timeout != null) {
                group.schedule(() -> outcome.complete(timedOut()), options.timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
            int exit = outcome.join();
            stop(false, group, hook);
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
            return exit;
        } catch (StartupException | RuntimeException e) {
            stop(false, group, hook);
            removeQuietly(shutdownHook);
            throw e;
        } finally {
            closeQuietly(state);
        }
    }

    private Uplink uplink(String name, IdentityStore identity, StateDirectory state, EventLoopGroup group,
            DatagramIo io, OnChangeHook hook) throws StartupException {
        List<Long> iaids;
        try {
            iaids = identity.iaids(name, options.iaPds);
        } catch (IOException e) {
            throw new StartupException("cannot store the IAIDs of " + name + " in " + options.stateDir + ": "
                    + e.getMessage(), e);
        }
        iaids.forEach(iaid -> awaitingBind.add(name + "/" + iaid));
        Uplink.Settings settings = new Uplink.Settings(options.client.transport(name), identity.duid(), iaids,
                options.prefixLength == null ? 0 : options.prefixLength, options.rapidCommit,
                !options.client.noInitialDelay);
        LeaseChangeTracker tracker = new LeaseChangeTracker(name);
        return new Uplink(settings, new LeaseStore(state, name, wallClock), group.next(), io, event -> {
            LeaseChange change = tracker.track(event, wallClock.instant());
            printer.print(change);
            if (hook != null) {
                hook.submit(change);
            }
            if (options.once && CONFIRMED.contains(event.type())
                    && awaitingBind.remove(name + "/" + event.lease().iaid()) && awaitingBind.isEmpty()) {
                outcome.complete(0);
            }
        }, this::failed);
    }

    private void failed(TransportException e) {
        log.error("{}", e.getMessage());
        outcome.complete(StandaloneCommand.EXIT_FAILURE);
    }

    private int timedOut() {
        log.error("no prefix bound on {} within {} ms; is a DHCPv6 server with prefix delegation reachable on the"
                + " link?", String.join(", ", awaitingBind), options.timeout.toMillis());
        return StandaloneCommand.EXIT_FAILURE;
    }

    /** Stops every uplink once: on SIGTERM from the shutdown hook, otherwise from {@link #run()}. */
    private void stop(boolean release, EventLoopGroup group, OnChangeHook hook) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (Uplink uplink : uplinks) {
            stopping.add(uplink.stop(release, RELEASE_TIMEOUT).exceptionally(e -> {
                log.warn("{}: stopping failed: {}", uplink.interfaceName(), e.toString());
                return null;
            }));
        }
        try {
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new))
                    .get(RELEASE_TIMEOUT.plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("not every uplink stopped cleanly: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (hook != null) {
            hook.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private StateDirectory openState() throws StartupException {
        try {
            return StateDirectory.open(options.stateDir);
        } catch (IOException e) {
            throw new StartupException("cannot use state directory " + options.stateDir + ": " + e.getMessage(), e);
        }
    }

    private IdentityStore loadIdentity(StateDirectory state, UplinkProbe probe) throws StartupException {
        String first = options.interfaces.get(0);
        try {
            return IdentityStore.loadOrCreate(state, wallClock, options.client.duidKind, probe.hardwareAddress(first),
                    UUID::randomUUID);
        } catch (IOException e) {
            throw new StartupException("cannot load or store the DUID in " + options.stateDir + ": "
                    + e.getMessage(), e);
        }
    }

    private static UplinkState probeOrFail(UplinkProbe probe, String name) throws StartupException {
        try {
            return probe.probe(name);
        } catch (IOException e) {
            throw new StartupException("cannot read the state of interface " + name + ": " + e.getMessage(), e);
        }
    }

    private void startOrFail(Uplink uplink) throws StartupException, InterruptedException {
        try {
            uplink.start().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            throw new StartupException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new StartupException(uplink.interfaceName() + ": the transport did not start within "
                    + START_TIMEOUT.toSeconds() + " s", e);
        }
    }

    private static void removeQuietly(Thread shutdownHook) {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook runs, and stop() is idempotent.
        }
    }

    private void closeQuietly(StateDirectory state) {
        if (state == null) {
            return;
        }
        try {
            state.close();
        } catch (IOException e) {
            log.warn("cannot unlock the state directory: {}", e.toString());
        }
    }
}
