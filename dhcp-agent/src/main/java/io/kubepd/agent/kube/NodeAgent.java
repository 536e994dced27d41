package io.kubepd.agent.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubepd.agent.client.Lease;
import io.kubepd.agent.client.LeaseEvent;
import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.route.ReconcileResult;
import io.kubepd.agent.route.RoutePlan;
import io.kubepd.agent.route.RouteReconciler;
import io.kubepd.crd.v1alpha1.DelegationPolicy;
import io.kubepd.crd.v1alpha1.DhcpState;
import io.kubepd.crd.v1alpha1.PrefixLease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes side of the node agent: which uplinks to run (from the DelegationPolicy that selects the node),
 * what to report (each IA_PD as a PrefixLease), and which routes to hold (the operator's plan from the leases'
 * status, limited to the prefixes the node holds).
 *
 * <p>All state lives on one control thread. API calls never run there: reports go through {@link LeaseReporter}
 * and policy look-ups through a separate executor, so a slow or absent API server never delays a route change.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

    /** Starts and stops the DHCPv6 clients of uplinks; implemented by the agent's runtime. */
    public interface Uplinks {
        /**
         * Makes the running uplinks exactly {@code wanted}, keyed by interface name. The result completes once each
         * uplink it started has handed its stored leases over as RESTORED events (or found none).
         */
        CompletionStage<Void> ensure(Map<String, UplinkRequest> wanted);
    }

    /** What the policy asks for on one uplink: {@code iaPds} IA_PDs, each its own lease. */
    public record UplinkRequest(String interfaceName, int prefixLengthHint, boolean rapidCommit, int iaPds) {
        public UplinkRequest {
            // Remembered uplinks from before iaPds existed read as 0.
            iaPds = Math.max(1, iaPds);
        }
    }

    private record IaKey(String interfaceName, long iaid) {}

    /** What the node holds for one IA_PD, as last told by its client. */
    private static final class IaView {
        Lease current;
        DhcpState state;
        final Map<String, Lease> draining = new LinkedHashMap<>();
    }

    private final KubernetesClient client;
    private final String nodeName;
    private final java.util.function.Supplier<Duid> duid;
    private final ScheduledExecutorService control;
    private final ScheduledExecutorService api;
    private final LeaseReporter reporter;
    private final RouteReconciler routes;
    private final Uplinks uplinks;
    private final BiConsumer<List<PrefixLease>, List<String>> onLeases;
    private final Clock clock;
    private final UplinkMemory memory;
    private final Map<IaKey, IaView> held = new HashMap<>();
    private final RoutePlans routePlans = new RoutePlans();
    private LeaseWatcher watcher;
    private volatile SharedIndexInformer<DelegationPolicy> policies;
    /** The "replan at expiry" timer; only the control thread touches it. */
    private ScheduledFuture<?> expiryReplan;
    private volatile boolean routesPlanned;
    /** Control thread: the uplinks were decided once (from memory or a policy, or no policy selects the node). */
    private boolean uplinksKnown;
    /** Control thread: ensure() calls whose uplinks have not handed over their stored leases yet. */
    private int restoresPending;
    private volatile boolean closed;
    private volatile List<Lease> snapshot = List.of();
    private final AtomicInteger policyListFailures = new AtomicInteger();
    private volatile ReconcileResult lastRoutes;

    /**
     * @param onLeases hears the node's PrefixLeases and the prefixes its clients hold after each plan (e.g. to write
     *     CNI ranges, see {@link CniPodCidrs}), on the control thread
     */
    public NodeAgent(KubernetesClient client, String nodeName, java.util.function.Supplier<Duid> duid,
            ScheduledExecutorService control,
            ScheduledExecutorService api, RouteReconciler routes, Uplinks uplinks, UplinkMemory memory,
            BiConsumer<List<PrefixLease>, List<String>> onLeases, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.duid = duid;
        this.control = control;
        this.api = api;
        this.routes = routes;
        this.uplinks = uplinks;
        this.memory = memory;
        this.onLeases = onLeases;
        this.clock = clock;
        this.reporter = new LeaseReporter(client, nodeName, api, Duration.ofMillis(200), Duration.ofSeconds(30));
    }

    /**
     * Starts the uplinks the node ran last time (so a restart while the API server is down keeps its prefixes),
     * then follows the DelegationPolicies and this node's leases.
     */
    public void start() {
        memory.load().ifPresent(saved -> {
            log.info("starting the uplinks of the last known policy: {}", saved.keySet());
            control.execute(() -> ensureUplinks(saved));
        });
        watchPolicies();
        watcher = new LeaseWatcher(client, nodeName, leases -> control.execute(this::planRoutes));
        watcher.start();
    }

    /** Follows the DelegationPolicies; when the first list fails (API server away), tries again every 5 s. */
    private void watchPolicies() {
        if (closed) {
            return;
        }
        SharedIndexInformer<DelegationPolicy> informer = client.resources(DelegationPolicy.class).runnableInformer(0);
        policies = informer;
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(DelegationPolicy policy) {
                scheduleResolve();
            }

            @Override
            public void onUpdate(DelegationPolicy before, DelegationPolicy after) {
                if (!Objects.equals(before.getSpec(), after.getSpec()) || before.getMetadata().getGeneration() == null
                        || !before.getMetadata().getGeneration().equals(after.getMetadata().getGeneration())) {
                    scheduleResolve();
                }
            }

            @Override
            public void onDelete(DelegationPolicy policy, boolean finalStateUnknown) {
                scheduleResolve();
            }
        });
        informer.start().whenComplete((ignored, error) -> {
            if (error == null) {
                // With no policy at all no event fires; resolve once anyway, so that "none selects this node" is known.
                scheduleResolve();
            } else {
                log.warn("cannot list DelegationPolicies ({}); keeping the uplinks of the last known policy, "
                        + "retrying in 5 s", error.getMessage());
                informer.close();
                policyListFailures.incrementAndGet();
                api.schedule(this::watchPolicies, 5, TimeUnit.SECONDS);
            }
        });
    }

    private boolean resolveScheduled;

    private synchronized void scheduleResolve() {
        if (!resolveScheduled) {
            resolveScheduled = true;
            // Several policy events in a row lead to one look-up.
            api.schedule(this::resolve, 100, TimeUnit.MILLISECONDS);
        }
    }

    private void resolve() {
        synchronized (this) {
            resolveScheduled = false;
        }
        try {
            var node = client.nodes().withName(nodeName).get();
            if (node == null) {
                log.warn("Node {} not found; check --node-name (the DaemonSet passes spec.nodeName)", nodeName);
                return;
            }
            Optional<DelegationPolicy> policy = PolicyResolver.resolve(node, policies.getStore().list());
            if (policy.isEmpty()) {
                log.warn("no DelegationPolicy selects node {}: no prefixes are requested; create one "
                        + "(kubectl get delegationpolicies) or change its nodeSelector", nodeName);
                control.execute(() -> {
                    uplinksKnown = true;
                    planRoutes();
                });
                return;
            }
            Map<String, UplinkRequest> wanted = new LinkedHashMap<>();
            var spec = policy.get().getSpec();
            for (var uplink : spec.getUplinks()) {
                wanted.put(uplink.getInterfaceName(), new UplinkRequest(uplink.getInterfaceName(),
                        uplink.getPrefixLengthHint() == null ? 0 : uplink.getPrefixLengthHint(), spec.isRapidCommit(),
                        uplink.getIaPds()));
            }
            log.info("DelegationPolicy {} selects node {}: uplinks {}", policy.get().getMetadata().getName(),
                    nodeName, wanted.keySet());
            memory.save(wanted);
            control.execute(() -> ensureUplinks(wanted));
        } catch (RuntimeException e) {
            log.warn("cannot resolve the DelegationPolicy of node {} ({}); keeping the current uplinks, retrying in 5 s",
                    nodeName, e.getMessage());
            synchronized (this) {
                resolveScheduled = true;
            }
            api.schedule(this::resolve, 5, TimeUnit.SECONDS);
        }
    }

    /** Control thread: starts/stops uplinks and counts them as pending until their stored leases are handed over. */
    private void ensureUplinks(Map<String, UplinkRequest> wanted) {
        uplinksKnown = true;
        restoresPending++;
        CompletionStage<Void> restored;
        try {
            restored = uplinks.ensure(wanted);
        } catch (RuntimeException e) {
            log.error("cannot start the uplinks {}: {}", wanted.keySet(), e.getMessage());
            restored = CompletableFuture.completedFuture(null);
        }
        // The RESTORED events were queued on the control thread before this completion, so they are handled first.
        restored.whenComplete((ignored, error) -> control.execute(() -> {
            restoresPending--;
            planRoutes();
        }));
    }

    /** Feeds one client event in; call from any thread. */
    public void onLeaseEvent(String interfaceName, LeaseEvent event) {
        control.execute(() -> handle(interfaceName, event));
    }

    private void handle(String interfaceName, LeaseEvent event) {
        Lease lease = event.lease();
        IaView view = held.computeIfAbsent(new IaKey(interfaceName, lease.iaid()), k -> new IaView());
        switch (event.type()) {
            case BOUND, RENEWED, REBOUND, RESTORED, CHANGED -> {
                view.current = lease;
                view.draining.remove(lease.cidr());
            }
            case DRAINING -> {
                if (view.current != null && view.current.cidr().equals(lease.cidr())) {
                    view.current = lease;
                } else {
                    view.draining.put(lease.cidr(), lease);
                }
            }
            case EXPIRED, WITHDRAWN, RELEASED -> {
                view.draining.remove(lease.cidr());
                if (view.current == null || view.current.cidr().equals(lease.cidr())) {
                    view.current = lease;
                }
            }
        }
        if (view.current != null && view.current.cidr().equals(lease.cidr())) {
            // An old prefix draining, expiring or withdrawn says nothing about the client's hold on the current one.
            view.state = LeaseSpecs.stateAfter(event.type());
        }
        snapshot = held.values().stream().flatMap(v -> {
            List<Lease> all = new ArrayList<>(v.draining.values());
            if (v.current != null) {
                all.add(0, v.current);
            }
            return all.stream();
        }).toList();
        if (view.current != null) {
            reporter.report(LeaseSpecs.of(nodeName, interfaceName, duid.get(), view.current, view.draining.values(),
                    view.state, clock.instant()));
        }
        planRoutes();
    }

    /** Prefixes this node may route now: current and draining prefixes that have not expired or been released. */
    List<String> heldPrefixes() {
        Instant now = clock.instant();
        List<String> prefixes = new ArrayList<>();
        for (IaView view : held.values()) {
            if (view.current != null && usable(view.current, now)) {
                prefixes.add(view.current.cidr());
            }
            view.draining.values().stream().filter(l -> usable(l, now)).map(Lease::cidr).forEach(prefixes::add);
        }
        return prefixes;
    }

    private static boolean usable(Lease lease, Instant now) {
        return (lease.state() == Lease.State.ACTIVE || lease.state() == Lease.State.DRAINING)
                && (lease.expiresAt() == null || lease.expiresAt().isAfter(now));
    }

    private void planRoutes() {
        if (watcher == null || !watcher.hasSynced() || !uplinksKnown || restoresPending > 0) {
            // Until the leases were read once and every uplink handed over the prefixes it stored before a restart,
            // an empty view means "unknown", not "no routes": keep what the kernel holds from before the restart.
            return;
        }
        List<PrefixLease> leases = watcher.leases();
        RoutePlan plan = RoutePlan.fromStatus(routePlans.plan(leases, heldPrefixes(), clock.instant()));
        try {
            ReconcileResult result = routes.apply(plan);
            routesPlanned = true;
            lastRoutes = result;
            if (!result.noop()) {
                log.info("routes: {}", result);
            }
        } catch (RuntimeException e) {
            log.error("cannot program routes: {}", e.getMessage());
        }
        onLeases.accept(leases, heldPrefixes());
        long next = snapshot.stream().map(Lease::expiresAt).filter(Objects::nonNull).filter(t -> t.isAfter(clock.instant()))
                .mapToLong(t -> Duration.between(clock.instant(), t).toMillis()).min().orElse(-1);
        // One timer, moved on every plan: were each plan to add its own, every lease event would start another
        // chain of re-plans, and the control thread would end up running ip for all of them at each expiry.
        if (expiryReplan != null) {
            expiryReplan.cancel(false);
        }
        // Re-plan when a held prefix expires, so its routes go even if no event arrives.
        expiryReplan = next >= 0 ? control.schedule(this::planRoutes, next + 10, TimeUnit.MILLISECONDS) : null;
    }

    /** True once the route plan was applied at least once since start. */
    public boolean routesPlanned() {
        return routesPlanned;
    }

    /** Every lease the node knows, current ones first per IA, as of the last event. */
    public List<Lease> leases() {
        return snapshot;
    }

    /** The result of the last route reconciliation, or null before the first. */
    public ReconcileResult lastRouteResult() {
        return lastRoutes;
    }

    /** Consecutive failed attempts to report to the API server. */
    public int reportFailures() {
        return reporter.consecutiveFailures();
    }

    /** How often listing the DelegationPolicies failed since start (each failure is retried 5 s later). */
    public int policyListFailures() {
        return policyListFailures.get();
    }

    /** True when every lease change has reached the API server. */
    public boolean reportsInSync() {
        return reporter.inSync();
    }

    @Override
    public void close() {
        closed = true;
        if (watcher != null) {
            watcher.close();
        }
        if (policies != null) {
            policies.close();
        }
    }
}
