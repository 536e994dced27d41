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
import java.util.concurrent.LinkedBlockingQueue;
import io.kubepd.agent.client.Lease;
import io.kubepd.agent.client.LeaseEvent;
import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.route.KernelRoute;
import io.kubepd.agent.route.RouteChange;
import io.kubepd.agent.route.RouteReconciler;
import io.kubepd.agent.route.RouteTable;
import io.kubepd.crd.v1alpha1.DhcpState;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.testkit.kube.KubeApiServerExtension;
import io.kubepd.testkit.lab.Poll;
import java.nio.file.Files;
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
        try (var crds = Files.list(Path.of("..", "helm", "kubepd", "crds"))) {
            for (Path crd : crds.toList()) {
                API.client().load(Files.newInputStream(crd)).serverSideApply();
            }
        }
        API.client().apiextensions().v1().customResourceDefinitions().withName("prefixleases.kubepd.io")
                .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions().stream()
                        .anyMatch(s -> "Established".equals(s.getType()) && "True".equals(s.getStatus())),
                        30, TimeUnit.SECONDS);
        API.client().nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata().build())
                .create();
    }

    @BeforeEach
    void startAgent() {
        control = new ScheduledThreadPoolExecutor(1);
        api = Executors.newSingleThreadScheduledExecutor();
        RouteReconciler routes = RouteReconciler.builder(new MemoryRouteTable()).build();
        agent = new NodeAgent(API.client(), NODE, () -> CLIENT, control, api, routes, wanted -> { },
                new UplinkMemory(stateDir), leases -> { }, Clock.systemUTC());
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
            NodeAgent offline = new NodeAgent(behindProxy, NODE, () -> CLIENT, control, api,
                    RouteReconciler.builder(new MemoryRouteTable()).build(), ensured::add,
                    new UplinkMemory(otherState), leases -> { }, Clock.systemUTC());
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
                    Poll.until(Duration.ofSeconds(20), "a failed policy list", () -> offline.policyListFailures() > 0);
                    proxy.resume();
                    Map<String, NodeAgent.UplinkRequest> wanted = ensured.poll(30, TimeUnit.SECONDS);
                    assertThat(wanted).as("uplinks ensured after the API server came back")
                            .containsExactly(Map.entry("wan7", new NodeAgent.UplinkRequest("wan7", 60, true, 2)));
                } finally {
                    API.client().resource(policy).delete();
                }
            } finally {
                offline.close();
            }
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
