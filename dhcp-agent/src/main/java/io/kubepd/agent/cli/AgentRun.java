package io.kubepd.agent.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubepd.agent.client.DropReason;
import io.kubepd.agent.client.Lease;
import io.kubepd.agent.client.LeaseEvent;
import io.kubepd.agent.cni.CniRangesWriter;
import io.kubepd.agent.cni.HostLocalRanges;
import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.identity.IdentityStore;
import io.kubepd.agent.kube.CniPodCidrs;
import io.kubepd.agent.kube.NodeAgent;
import io.kubepd.agent.kube.UplinkMemory;
import io.kubepd.agent.lease.LeaseStore;
import io.kubepd.agent.lease.StateDirectory;
import io.kubepd.agent.route.IpRouteTable;
import io.kubepd.agent.route.ReconcileResult;
import io.kubepd.agent.route.RouteReconciler;
import io.kubepd.agent.transport.DatagramIo;
import io.kubepd.agent.transport.UplinkProbe;
import io.kubepd.agent.transport.UplinkState;
import io.kubepd.agent.uplink.Uplink;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/**
 * One run of {@code dhcp-agent agent}: the uplinks' DHCPv6 clients, the route reconciler, the {@link NodeAgent} that
 * connects them to the API server, and the health and metrics endpoints.
 */
final class AgentRun {
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(20);
    private static final long INTERFACE_RETRY_SECONDS = 10;

    private final AgentCommand options;
    private final Logger log;
    private final Clock wallClock = Clock.systemUTC();
    // Changed on the control thread, read by the HTTP threads (metrics, readiness).
    private final Map<String, Uplink> running = new ConcurrentHashMap<>();
    private final Map<String, NodeAgent.UplinkRequest> requested = new HashMap<>();
    private final Map<String, LongAdder> events = new ConcurrentHashMap<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final UplinkProbe probe = new UplinkProbe();
    private ScheduledExecutorService control;
    private ScheduledExecutorService api;
    private EventLoopGroup group;
    private DatagramIo io;
    private StateDirectory state;
    private IdentityStore identity;
    private RouteReconciler routes;
    private NodeAgent agent;
    private KubernetesClient client;
    private CniRangesWriter cni;
    private final List<HttpServer> servers = new ArrayList<>();

    AgentRun(AgentCommand options, Logger log) {
        this.options = options;
        this.log = log;
    }

    int run() throws StartupException, InterruptedException {
        try {
            state = StateDirectory.open(options.stateDir);
        } catch (IOException e) {
            throw new StartupException("cannot use state directory " + options.stateDir + ": " + e.getMessage()
                    + "; set --state-dir to a writable directory (the chart mounts a hostPath)", e);
        }
        control = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "agent-control"));
        api = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "agent-api"));
        io = DatagramIo.detect();
        // One thread for every uplink: a DHCPv6 client sends a handful of messages an hour.
        group = new MultiThreadIoEventLoopGroup(1, io.ioHandlerFactory());
        routes = RouteReconciler.builder(IpRouteTable.system())
                .scheduler(control)
                .resyncPeriod(options.routeResync)
                .keepRoutesOnExit(options.keepRoutesOnExit)
                .build();
        if (options.cniRangesFile != null) {
            cni = options.cniConflistTemplate != null
                    ? CniRangesWriter.conflist(options.cniRangesFile, options.cniConflistTemplate)
                    : CniRangesWriter.fragment(options.cniRangesFile);
        }
        client = new KubernetesClientBuilder().build();
        agent = new NodeAgent(client, options.nodeName, this::duid, control, api, routes, this::ensure,
                new UplinkMemory(options.stateDir), this::publishCni, wallClock);
        Thread shutdownHook = new Thread(this::stop, "agent-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            startHttp();
            routes.start();
            agent.start();
            log.info("kubepd agent for node {} started (state in {}, API server {})", options.nodeName,
                    options.stateDir, client.getMasterUrl());
        } catch (IOException | RuntimeException e) {
            stop();
            throw new StartupException("cannot start the agent: " + e.getMessage(), e);
        }
        finished.await();
        return 0;
    }

    /** The node's DUID; created from the first uplink's hardware address on the very first start. */
    private synchronized Duid duid() {
        if (identity == null) {
            String first = requested.keySet().stream().sorted().findFirst().orElse(null);
            try {
                identity = IdentityStore.loadOrCreate(state, wallClock, options.client.duidKind,
                        first == null ? java.util.Optional.empty() : probe.hardwareAddress(first), UUID::randomUUID);
            } catch (IOException e) {
                throw new IllegalStateException("cannot load or store the DUID in " + options.stateDir + ": "
                        + e.getMessage(), e);
            }
        }
        return identity.duid();
    }

    /**
     * Runs on the control thread: starts missing uplinks, restarts changed ones, stops dropped ones (no Release).
     * Completes once the started ones have handed over their stored leases.
     */
    private CompletionStage<Void> ensure(Map<String, NodeAgent.UplinkRequest> wanted) {
        for (String name : List.copyOf(running.keySet())) {
            if (!wanted.containsKey(name) || !wanted.get(name).equals(requested.get(name))) {
                log.info("{}: {} by the policy; stopping its DHCPv6 client", name,
                        wanted.containsKey(name) ? "changed" : "no longer requested");
                running.remove(name).stop(false, RELEASE_TIMEOUT);
                requested.remove(name);
            }
        }
        List<CompletableFuture<Void>> restored = new ArrayList<>();
        for (NodeAgent.UplinkRequest request : wanted.values()) {
            if (!running.containsKey(request.interfaceName())) {
                restored.add(startUplink(request));
            }
        }
        return CompletableFuture.allOf(restored.toArray(CompletableFuture[]::new));
    }

    /** Starts one uplink; the result completes when it has handed over its stored leases, or at once if none. */
    private CompletableFuture<Void> startUplink(NodeAgent.UplinkRequest request) {
        String name = request.interfaceName();
        requested.put(name, request);
        try {
            if (probe.probe(name) instanceof UplinkState.Missing) {
                log.error("interface {} not found on node {}; fix the DelegationPolicy's uplinks, retrying in {} s",
                        name, options.nodeName, INTERFACE_RETRY_SECONDS);
                control.schedule(() -> {
                    if (request.equals(requested.get(name)) && !running.containsKey(name)) {
                        startUplink(request);
                    }
                }, INTERFACE_RETRY_SECONDS, TimeUnit.SECONDS);
                return CompletableFuture.completedFuture(null);
            }
            Uplink.Settings settings = new Uplink.Settings(options.client.transport(name), duid(),
                    identity.iaids(name, request.iaPds()), request.prefixLengthHint(), request.rapidCommit(),
                    !options.client.noInitialDelay);
            Uplink uplink = new Uplink(settings, new LeaseStore(state, name, wallClock), group.next(), io,
                    event -> onEvent(name, event),
                    failure -> log.error("{}: {}", name, failure.getMessage()));
            running.put(name, uplink);
            uplink.start().whenComplete((ignored, error) -> {
                if (error != null) {
                    log.error("{}: cannot start the DHCPv6 client: {}", name, error.getMessage());
                }
            });
            return uplink.restored();
        } catch (IOException | RuntimeException e) {
            log.error("{}: cannot start the DHCPv6 client: {}", name, e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
    }

    private void onEvent(String interfaceName, LeaseEvent event) {
        events.computeIfAbsent(event.type().name().toLowerCase(), k -> new LongAdder()).increment();
        log.info("{}: {} {} (valid {} s)", interfaceName, event.type(), event.lease().cidr(),
                event.lease().validLifetime());
        agent.onLeaseEvent(interfaceName, event);
    }

    /** Writes the node's pod CIDRs as host-local ranges, when asked to; {@link CniPodCidrs} says which, if any. */
    private void publishCni(List<PrefixLease> leases, List<String> heldPrefixes) {
        if (cni == null) {
            return;
        }
        try {
            CniPodCidrs.decide(leases, heldPrefixes).ifPresent(podCidrs -> cni.write(HostLocalRanges.of(podCidrs)));
        } catch (UncheckedIOException e) {
            log.error("{}", e.getMessage());
        }
    }

    private void startHttp() throws IOException {
        String[] hostPort = options.healthAddress.split(":(?=\\d+$)");
        HttpServer health = HttpServer.create(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 0);
        health.createContext("/healthz", exchange -> respond(exchange, 200, "ok\n"));
        health.createContext("/readyz", exchange -> {
            boolean ready = !running.isEmpty() && agent.routesPlanned();
            respond(exchange, ready ? 200 : 503, ready ? "ready\n"
                    : "not ready: " + (running.isEmpty() ? "no uplink running" : "no route plan applied yet") + "\n");
        });
        servers.add(health);
        if (options.metricsPort > 0) {
            HttpServer metrics = HttpServer.create(new InetSocketAddress(options.metricsPort), 0);
            metrics.createContext("/metrics", exchange -> respond(exchange, 200, metrics()));
            servers.add(metrics);
        }
        servers.forEach(HttpServer::start);
    }

    /** Prometheus text format, written by hand: a registry library would cost the agent more memory than it saves. */
    private String metrics() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP kubepd_agent_lease_valid_seconds Seconds until a held prefix's valid lifetime ends.\n");
        out.append("# TYPE kubepd_agent_lease_valid_seconds gauge\n");
        for (Lease lease : agent.leases()) {
            long remaining = lease.expiresAt() == null ? Lease.INFINITE
                    : Math.max(0, Duration.between(wallClock.instant(), lease.expiresAt()).toSeconds());
            out.append("kubepd_agent_lease_valid_seconds{iaid=\"").append(lease.iaid()).append("\",prefix=\"")
                    .append(lease.cidr()).append("\",state=\"").append(lease.state().name().toLowerCase())
                    .append("\"} ").append(remaining).append('\n');
        }
        out.append("# HELP kubepd_agent_lease_events_total DHCPv6 lease events by type.\n");
        out.append("# TYPE kubepd_agent_lease_events_total counter\n");
        events.forEach((type, count) -> out.append("kubepd_agent_lease_events_total{type=\"").append(type)
                .append("\"} ").append(count.sum()).append('\n'));
        List<Uplink> uplinks = List.copyOf(running.values());
        out.append("# HELP kubepd_agent_dhcp_datagrams_total DHCPv6 datagrams by direction and outcome; dropped here"
                + " means the transport could not decode it.\n");
        out.append("# TYPE kubepd_agent_dhcp_datagrams_total counter\n");
        for (Uplink uplink : uplinks) {
            var m = uplink.transportMetrics();
            String iface = "interface=\"" + uplink.interfaceName() + "\"";
            out.append("kubepd_agent_dhcp_datagrams_total{").append(iface).append(",result=\"received\"} ")
                    .append(m.receivedCount()).append('\n');
            out.append("kubepd_agent_dhcp_datagrams_total{").append(iface).append(",result=\"sent\"} ")
                    .append(m.sentCount()).append('\n');
            m.droppedByReason().forEach((reason, count) -> out.append("kubepd_agent_dhcp_datagrams_total{")
                    .append(iface).append(",result=\"dropped\",reason=\"").append(reason).append("\"} ")
                    .append(count).append('\n'));
        }
        out.append("# HELP kubepd_agent_dhcp_dropped_total DHCPv6 messages the client discarded after decoding,"
                + " by reason.\n");
        out.append("# TYPE kubepd_agent_dhcp_dropped_total counter\n");
        for (Uplink uplink : uplinks) {
            appendClientDrops(out, uplink.interfaceName(), uplink.clientDropCounts());
        }
        ReconcileResult last = agent.lastRouteResult();
        out.append("# HELP kubepd_agent_routes Routes of the last reconciliation by outcome.\n");
        out.append("# TYPE kubepd_agent_routes gauge\n");
        if (last != null) {
            out.append("kubepd_agent_routes{outcome=\"unchanged\"} ").append(last.unchanged()).append('\n');
            out.append("kubepd_agent_routes{outcome=\"failed\"} ").append(last.failed()).append('\n');
        }
        out.append("# HELP kubepd_agent_api_report_failures Consecutive failed reports to the API server.\n");
        out.append("# TYPE kubepd_agent_api_report_failures gauge\n");
        out.append("kubepd_agent_api_report_failures ").append(agent.reportFailures()).append('\n');
        return out.toString();
    }

    /** One sample per reason, zeros included, so a rate over a reason's first drop starts from 0. */
    static void appendClientDrops(StringBuilder out, String interfaceName, Map<DropReason, Long> drops) {
        for (DropReason reason : DropReason.values()) {
            out.append("kubepd_agent_dhcp_dropped_total{interface=\"").append(interfaceName).append("\",reason=\"")
                    .append(reason.name().toLowerCase(Locale.ROOT)).append("\"} ")
                    .append(drops.getOrDefault(reason, 0L)).append('\n');
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops once: the clients keep their leases on disk (Release only with --release-on-exit), routes stay or go. */
    private void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        log.info("stopping: {}", options.releaseOnExit ? "releasing the prefixes" : "keeping the leases for the next start");
        servers.forEach(s -> s.stop(0));
        if (agent != null) {
            agent.close();
        }
        if (control != null) {
            try {
                List<Uplink> uplinks = control.submit(() -> List.copyOf(running.values()))
                        .get(5, TimeUnit.SECONDS);
                for (Uplink uplink : uplinks) {
                    uplink.stop(options.releaseOnExit, RELEASE_TIMEOUT).get(RELEASE_TIMEOUT.toSeconds() + 5,
                            TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                log.warn("not every uplink stopped cleanly: {}", e.toString());
            }
        }
        if (routes != null) {
            routes.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (client != null) {
            client.close();
        }
        if (control != null) {
            control.shutdownNow();
            api.shutdownNow();
        }
        try {
            if (state != null) {
                state.close();
            }
        } catch (IOException e) {
            log.warn("cannot unlock the state directory: {}", e.toString());
        }
        finished.countDown();
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
