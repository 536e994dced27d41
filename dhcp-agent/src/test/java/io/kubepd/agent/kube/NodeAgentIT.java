package io.kubepd.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubepd.crd.v1alpha1.DelegationPolicy;
import io.kubepd.crd.v1alpha1.DelegationPolicySpec;
import io.kubepd.testkit.kube.ApiProxy;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import io.kubepd.agent.client.Lease;
import io.kubepd.agent.client.LeaseEvent;
import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.route.KernelRoute;
import io.kubepd.agent.route.RouteChange;
import io.kubepd.agent.route.RouteReconciler;
import io.kubepd.agent.route.RouteTable;
import io.kubepd.agent.route.Ipv6Cidr;
import io.kubepd.crd.v1alpha1.DhcpState;
import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.PlannedRoute;
import io.kubepd.crd.v1alpha1.PrefixLeaseStatus;
import io.kubepd.crd.v1alpha1.RouteType;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.testkit.kube.Crds;
import io.kubepd.testkit.kube.KubeApiServerExtension;
import io.kubepd.testkit.lab.Poll;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The node agent's control loop on a real API server, with an in-memory route table. */
class NodeAgentIT {
    @RegisterExtension
    static final KubeApiServerExtension API = new KubeApiServerExtension();

    private static final String NODE = "node-a";
    private static final Duid CLIENT = Duid.ll(new byte[] {0x02, 0, 0, 0, 0, 0x01});

    @TempDir
    Path stateDir;

    private ScheduledThreadPoolExecutor control;
    private ScheduledExecutorService api;
    private NodeAgent agent;

    @BeforeAll
    static void installCrdsAndNode() throws Exception {
        Crds.installAll(API.client(), Path.of("..", "helm", "kubepd", "crds"));
        API.client().nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata().build())
                .create();
    }

    @BeforeEach
    void startAgent() {
        control = new ScheduledThreadPoolExecutor(1);
        api = Executors.newSingleThreadScheduledExecutor();
        RouteReconciler routes = RouteReconciler.builder(new MemoryRouteTable()).build();
        agent = new NodeAgent(API.client(), NODE, () -> CLIENT, control, api, routes, wanted -> CompletableFuture.completedFuture(null),
                new UplinkMemory(stateDir), (leases, held) -> { }, Clock.systemUTC());
        agent.start();
        Poll.until(Duration.ofSeconds(30), "the first route plan", agent::routesPlanned);
    }

    @AfterEach
    void stopAgent() {
        agent.close();
        control.shutdownNow();
        api.shutdownNow();
    }

    @Test
    void keepsOneExpiryTimerHoweverManyLeaseEventsArrive() throws Exception {
        Instant now = Instant.now();
        for (int renewal = 0; renewal < 30; renewal++) {
            agent.onLeaseEvent("eth0", new LeaseEvent(LeaseEvent.Type.RENEWED, new Lease(7, "2001:db8:0:100::", 56,
                    null, 300, 600, 150, 240, "00:01:00:01:2c:3f:6e:1a:0a:0b:0c:0d:0e:0f", now,
                    now.plusSeconds(renewal), now.plusSeconds(600 + renewal), Lease.State.ACTIVE)));
        }
        control.submit(() -> { }).get(10, TimeUnit.SECONDS);
        Poll.until(Duration.ofSeconds(30), "the lease reported", () -> agent.reportsInSync()
                && API.client().resources(PrefixLease.class).withLabel(PrefixLease.NODE_LABEL, NODE).list()
                        .getItems().size() == 1);

        // Each event planned the routes; the watch adds a plan per update of the lease. All of them leave one
        // timer behind: the re-plan at the next expiry.
        Poll.until(Duration.ofSeconds(10), "one pending timer on the control thread", () -> pendingTimers() == 1);
        assertThat(control.getQueue()).filteredOn(task -> !((Future<?>) task).isCancelled()).singleElement()
                .satisfies(timer -> assertThat(((ScheduledFuture<?>) timer).getDelay(TimeUnit.SECONDS))
                        .as("seconds to the lease's expiry").isBetween(550L, 630L));
    }

    @Test
    void anOldPrefixEndingLeavesTheCurrentOneBound() {
        Instant now = Instant.now();
        // Kea renumbering at Renew: the new prefix, then the old one withdrawn (lifetime 0) in the same Reply.
        agent.onLeaseEvent("eth1", event(LeaseEvent.Type.BOUND, "2001:db8:1:100::", now, Lease.State.ACTIVE));
        agent.onLeaseEvent("eth1", event(LeaseEvent.Type.CHANGED, "2001:db8:2:100::", now, Lease.State.ACTIVE));
        agent.onLeaseEvent("eth1", event(LeaseEvent.Type.WITHDRAWN, "2001:db8:1:100::", now, Lease.State.WITHDRAWN));
        // A server that leaves the old prefix out instead: it drains, then its valid lifetime ends.
        agent.onLeaseEvent("eth2", event(LeaseEvent.Type.BOUND, "2001:db8:3:100::", now, Lease.State.ACTIVE));
        agent.onLeaseEvent("eth2", event(LeaseEvent.Type.CHANGED, "2001:db8:4:100::", now, Lease.State.ACTIVE));
        agent.onLeaseEvent("eth2", event(LeaseEvent.Type.DRAINING, "2001:db8:3:100::", now, Lease.State.DRAINING));
        agent.onLeaseEvent("eth2", event(LeaseEvent.Type.EXPIRED, "2001:db8:3:100::", now, Lease.State.EXPIRED));

        for (String[] expected : List.of(new String[] {"eth1", "2001:db8:2:100::/56"},
                new String[] {"eth2", "2001:db8:4:100::/56"})) {
            Poll.until(Duration.ofSeconds(30), expected[0] + "'s lease reported", () -> agent.reportsInSync()
                    && lease(expected[0]).map(l -> l.getSpec().getDelegatedPrefix().equals(expected[1])).orElse(false));
            assertThat(lease(expected[0]).orElseThrow().getSpec().getDhcpState()).as(expected[0])
                    .isEqualTo(DhcpState.Bound);
        }
    }

    @Test
    void followsThePolicyOnceTheApiServerAnswersAfterAFailedFirstList(@TempDir Path otherState) throws Exception {
        Config admin = API.server().config();
        URI server = URI.create(admin.getMasterUrl());
        BlockingQueue<Map<String, NodeAgent.UplinkRequest>> ensured = new LinkedBlockingQueue<>();
        try (ApiProxy proxy = ApiProxy.tcp(server.getHost(), server.getPort());
                KubernetesClient behindProxy = new KubernetesClientBuilder().withConfig(new ConfigBuilder(admin)
                        .withMasterUrl("https://" + server.getHost() + ":" + proxy.port())
                        .withRequestTimeout(2_000).withConnectionTimeout(1_000).withRequestRetryBackoffLimit(0)
                        .build()).build()) {
            proxy.cut();
            // Threads of its own: the other agent of this class must not delay this one's retries.
            ScheduledThreadPoolExecutor offlineControl = new ScheduledThreadPoolExecutor(1);
            ScheduledExecutorService offlineApi = Executors.newSingleThreadScheduledExecutor();
            NodeAgent offline = new NodeAgent(behindProxy, NODE, () -> CLIENT, offlineControl, offlineApi,
                    RouteReconciler.builder(new MemoryRouteTable()).build(), wanted -> {
                        ensured.add(wanted);
                        return CompletableFuture.completedFuture(null);
                    },
                    new UplinkMemory(otherState), (leases, held) -> { }, Clock.systemUTC());
            try {
                offline.start();
                DelegationPolicy policy = new DelegationPolicy();
                policy.setMetadata(new ObjectMetaBuilder().withName("retry-" + System.nanoTime()).build());
                policy.getSpec().setNodeSelector(new LabelSelector());
                DelegationPolicySpec.Uplink uplink = new DelegationPolicySpec.Uplink();
                uplink.setInterfaceName("wan7");
                uplink.setPrefixLengthHint(60);
                uplink.setIaPds(2);
                policy.getSpec().getUplinks().add(uplink);
                API.client().resource(policy).create();
                try {
                    // The first list failed while the API server was away; the agent lists again every 5 s.
                    Poll.until(Duration.ofSeconds(60), "a failed policy list", () -> offline.policyListFailures() > 0);
                    proxy.resume();
                    Map<String, NodeAgent.UplinkRequest> wanted = ensured.poll(30, TimeUnit.SECONDS);
                    assertThat(wanted).as("uplinks ensured after the API server came back")
                            .containsExactly(Map.entry("wan7", new NodeAgent.UplinkRequest("wan7", 60, true, 2)));
                } finally {
                    API.client().resource(policy).delete();
                }
            } finally {
                offline.close();
                offlineControl.shutdownNow();
                offlineApi.shutdownNow();
            }
        }
    }

    @Test
    void aRestartKeepsTheRoutesOfStoredLeasesWhileTheUplinkIsSlowToHandThemOver(@TempDir Path restartState)
            throws Exception {
        String node = "node-restart";
        API.client().nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build())
                .create();
        Instant now = Instant.now();
        Lease stored = new Lease(5, "2001:db8:7:100::", 56, null, 300, 600, 150, 240,
                "00:01:00:01:2c:3f:6e:1a:0a:0b:0c:0d:0e:0f", now, now, now.plusSeconds(600), Lease.State.ACTIVE);
        // What the node held before the restart: its lease with the operator's plan, and those routes in the kernel.
        PrefixLease lease = new PrefixLease();
        lease.setMetadata(new ObjectMetaBuilder().withName(LeaseNames.of(node, "eth5", 5))
                .addToLabels(PrefixLease.NODE_LABEL, node).addToLabels(PrefixLease.INTERFACE_LABEL, "eth5").build());
        lease.setSpec(LeaseSpecs.of(node, "eth5", CLIENT, stored, List.of(), DhcpState.Bound, now));
        lease = API.client().resource(lease).create();
        PrefixLeaseStatus status = new PrefixLeaseStatus();
        status.setPhase(LeasePhase.Ready);
        status.setDelegatedPrefix("2001:db8:7:100::/56");
        status.setRoutes(List.of(new PlannedRoute(RouteType.Local, "2001:db8:7:100::/64", "lo", null),
                new PlannedRoute(RouteType.Unreachable, "2001:db8:7:100::/56", null, null)));
        lease.setStatus(status);
        API.client().resource(lease).updateStatus();
        JournalingRouteTable kernel = new JournalingRouteTable(List.of(
                KernelRoute.local(Ipv6Cidr.parse("2001:db8:7:100::/64"), "lo"),
                KernelRoute.unreachable(Ipv6Cidr.parse("2001:db8:7:100::/56"))));
        UplinkMemory memory = new UplinkMemory(restartState);
        memory.save(Map.of("eth5", new NodeAgent.UplinkRequest("eth5", 56, true, 1)));

        // The uplink hands its stored lease over 3 s after it was asked to start, as one waiting for its link.
        AtomicReference<NodeAgent> restarted = new AtomicReference<>();
        NodeAgent.Uplinks slowUplink = wanted -> {
            CompletableFuture<Void> handedOver = new CompletableFuture<>();
            api.schedule(() -> {
                restarted.get().onLeaseEvent("eth5", new LeaseEvent(LeaseEvent.Type.RESTORED, stored));
                handedOver.complete(null);
            }, 3, TimeUnit.SECONDS);
            return handedOver;
        };
        NodeAgent agent = new NodeAgent(API.client(), node, () -> CLIENT, control, api,
                RouteReconciler.builder(kernel).build(), slowUplink, memory, (leases, held) -> { }, Clock.systemUTC());
        restarted.set(agent);
        try {
            agent.start();
            Poll.until(Duration.ofSeconds(30), "the first route plan", agent::routesPlanned);

            assertThat(kernel.deleted()).as("routes deleted during the restart").isEmpty();
            assertThat(kernel.owned()).containsExactlyInAnyOrder(
                    KernelRoute.local(Ipv6Cidr.parse("2001:db8:7:100::/64"), "lo"),
                    KernelRoute.unreachable(Ipv6Cidr.parse("2001:db8:7:100::/56")));
            assertThat(agent.leases()).extracting(Lease::cidr).containsExactly("2001:db8:7:100::/56");
        } finally {
            agent.close();
        }
    }

    private static LeaseEvent event(LeaseEvent.Type type, String prefix, Instant now, Lease.State state) {
        return new LeaseEvent(type, new Lease(9, prefix, 56, null, 300, 600, 150, 240,
                "00:01:00:01:2c:3f:6e:1a:0a:0b:0c:0d:0e:0f", now, now,
                state == Lease.State.EXPIRED ? now : now.plusSeconds(600), state));
    }

    private static Optional<PrefixLease> lease(String interfaceName) {
        return API.client().resources(PrefixLease.class).withLabel(PrefixLease.NODE_LABEL, NODE)
                .withLabel(PrefixLease.INTERFACE_LABEL, interfaceName).list().getItems().stream().findFirst();
    }

    private long pendingTimers() {
        return control.getQueue().stream().filter(task -> !((Future<?>) task).isCancelled()).count();
    }

    /** Owned routes in memory; every deletion is journaled. */
    private static final class JournalingRouteTable implements RouteTable {
        private final List<KernelRoute> routes;
        private final List<KernelRoute> deleted = new java.util.ArrayList<>();

        JournalingRouteTable(List<KernelRoute> initial) {
            routes = new java.util.ArrayList<>(initial);
        }

        @Override
        public synchronized List<KernelRoute> owned() {
            return List.copyOf(routes);
        }

        @Override
        public synchronized Map<RouteChange, String> apply(List<RouteChange> changes) {
            for (RouteChange change : changes) {
                routes.remove(change.route());
                if (change.operation() == RouteChange.Operation.DELETE) {
                    deleted.add(change.route());
                } else {
                    routes.add(change.route());
                }
            }
            return Map.of();
        }

        synchronized List<KernelRoute> deleted() {
            return List.copyOf(deleted);
        }
    }

    /** A table without routes: this test is about the control loop, not the kernel. */
    private static final class MemoryRouteTable implements RouteTable {
        @Override
        public List<KernelRoute> owned() {
            return List.of();
        }

        @Override
        public Map<RouteChange, String> apply(List<RouteChange> changes) {
            return Map.of();
        }
    }
}
