package io.kubepd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.crd.v1alpha1.DhcpState;
import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.testkit.lab.Dhcp6Timers;
import io.kubepd.testkit.lab.LabAssumptions;
import io.kubepd.testkit.lab.PdPool;
import io.kubepd.testkit.lab.Poll;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole system as it ships: the agent and operator jars as processes, Kea in a router namespace, two nodes in
 * their own namespaces, a real API server with the Helm chart (RBAC and admission policy) installed. The scenarios
 * run in order on one cluster, each starting from what the previous one left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubepdE2E {
    private static final Duration CONVERGE = Duration.ofSeconds(60);
    // Short enough that Renew, Rebind and expiry happen within a test; long enough for a loaded 2-core machine.
    private static final Dhcp6Timers TIMERS = Dhcp6Timers.ofSeconds(5, 8, 10, 15);
    private static final String KUBEPD_PROTOCOL = "249";

    private static LocalCluster cluster;
    private static boolean failed;

    @BeforeAll
    static void startCluster() {
        LabAssumptions.assumeNetnsLab();
        cluster = LocalCluster.start(LocalCluster.Settings.defaults().withTimers(TIMERS));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            if (failed) {
                cluster.lab().keepFiles();
            }
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void nodesGetDistinctPrefixesAndReadyLeases() {
        guard(() -> {
            PrefixLease one = awaitReady(1);
            PrefixLease two = awaitReady(2);

            assertThat(one.getSpec().getDelegatedPrefix()).isNotEqualTo(two.getSpec().getDelegatedPrefix());
            for (PrefixLease lease : List.of(one, two)) {
                assertThat(lease.getSpec().getDelegatedPrefix()).startsWith("2001:db8:100:").endsWith("/56");
                assertThat(lease.getStatus().getPodCIDRs()).singleElement()
                        .satisfies(cidr -> assertThat(cidr).endsWith("/64"));
                assertThat(lease.getSpec().getDhcpState()).isEqualTo(DhcpState.Bound);
                assertThat(lease.getMetadata().getOwnerReferences()).singleElement()
                        .satisfies(o -> assertThat(o.getKind()).isEqualTo("Node"));
            }
            assertThat(cluster.kea().leases()).extracting(l -> l.prefix().toString())
                    .contains(one.getSpec().getDelegatedPrefix(), two.getSpec().getDelegatedPrefix());
            String table = cluster.api().kubectl("get", "prefixleases");
            assertThat(table).contains("node-1", "node-2", one.getSpec().getDelegatedPrefix(),
                    two.getStatus().getPodCIDRs().get(0), "Bound");
        });
    }

    @Test
    @Order(2)
    void kernelsHoldThePlannedRoutesAndAnswerOnTheWholePodCidr() {
        guard(() -> {
            for (int node = 1; node <= 2; node++) {
                PrefixLease lease = awaitReady(node);
                String podCidr = lease.getStatus().getPodCIDRs().get(0);
                awaitRoutes(node, Set.of("local " + podCidr, "unreachable " + lease.getSpec().getDelegatedPrefix()));
                for (int i = 0; i < 3; i++) {
                    String address = Demo.randomAddressIn(podCidr);
                    int index = node;
                    Poll.until(Duration.ofSeconds(10), "router's ping to " + address + " on node " + node,
                            () -> cluster.lab().router().ping6(address));
                    assertThat(answeredBy(index, address)).isTrue();
                }
            }
        });
    }

    @Test
    @Order(3)
    void agentSurvivesSigkillWithTheSamePrefixAndNoRouteGap() {
        guard(() -> {
            PrefixLease before = awaitReady(1);
            Set<String> routesBefore = kubepdRoutes(1);
            AtomicBoolean sampling = new AtomicBoolean(true);
            List<Set<String>> samples = new ArrayList<>();
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    samples.add(kubepdRoutes(1));
                }
            });
            sampler.start();

            cluster.killAgent(1);
            cluster.startAgent(1);
            Poll.until(CONVERGE, "restarted agent rebinds", () -> cluster.agent(1).logText().contains("REBOUND"));
            sampling.set(false);
            join(sampler);

            PrefixLease after = awaitReady(1);
            assertThat(after.getSpec().getDelegatedPrefix()).isEqualTo(before.getSpec().getDelegatedPrefix());
            assertThat(samples).as("routing table samples during the restart").hasSizeGreaterThan(5)
                    .allSatisfy(s -> assertThat(s).containsAll(routesBefore));
        });
    }

    @Test
    @Order(4)
    void apiServerOutageLeavesLeasesAndRoutesAloneAndStatusCatchesUp() {
        guard(() -> {
            PrefixLease before = awaitReady(2);
            Set<String> routes = kubepdRoutes(2);
            Set<String> otherRoutes = kubepdRoutes(1);
            // Both nodes' tables are sampled from the cut until the status has caught up: the dataplane must not
            // follow the control plane down, nor flap while it comes back.
            AtomicBoolean sampling = new AtomicBoolean(true);
            List<Set<String>> samples = new ArrayList<>();
            List<Set<String>> otherSamples = new ArrayList<>();
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    samples.add(kubepdRoutes(2));
                    otherSamples.add(kubepdRoutes(1));
                }
            });
            sampler.start();
            Instant cut = Instant.now();
            cluster.cutApiServer();
            try {
                // Several renewals happen meanwhile: the client keeps the lease on its own.
                Instant end = cut.plusSeconds(30);
                while (Instant.now().isBefore(end)) {
                    assertThat(kubepdRoutes(2)).as("routes during the outage").isEqualTo(routes);
                    Instant next = Instant.now().plusSeconds(1);
                    Poll.until(Duration.ofSeconds(5), "the next sample", () -> Instant.now().isAfter(next));
                }
                assertThat(cluster.agent(2).isAlive()).isTrue();
                assertThat(cluster.agent(2).logText()).contains("cannot report leases to the API server");
            } finally {
                cluster.restoreApiServer();
            }
            Poll.until(CONVERGE, "renewals made during the outage reported", () -> cluster.lease(2)
                    .map(l -> Instant.parse(l.getSpec().getRenewedAt()).isAfter(cut.plusSeconds(20)))
                    .orElse(false));
            Poll.until(CONVERGE, "operator status caught up with the reported spec", () -> cluster.lease(2)
                    .map(l -> l.getStatus() != null
                            && l.getMetadata().getGeneration().equals(l.getStatus().getObservedGeneration()))
                    .orElse(false));
            PrefixLease after = awaitReady(2);
            sampling.set(false);
            join(sampler);
            assertThat(after.getSpec().getDelegatedPrefix()).isEqualTo(before.getSpec().getDelegatedPrefix());
            assertThat(samples).as("node-2 routing table from the cut to the catch-up").hasSizeGreaterThan(10)
                    .allSatisfy(sample -> assertThat(sample).containsAll(routes));
            assertThat(otherSamples).as("node-1 routing table from the cut to the catch-up")
                    .allSatisfy(sample -> assertThat(sample).containsAll(otherRoutes));
        });
    }

    @Test
    @Order(5)
    void serverGonePastT2RebindsKeepsRoutesAndGetsTheSamePrefixBack() {
        guard(() -> {
            PrefixLease before = awaitReady(1);
            awaitRoutes(1, Set.of("local " + before.getStatus().getPodCIDRs().get(0),
                    "unreachable " + before.getSpec().getDelegatedPrefix()));
            Set<String> routes = kubepdRoutes(1);
            cluster.kea().stop();
            try {
                Poll.until(Duration.ofSeconds(30), "node-1 rebinding", () -> cluster.lease(1)
                        .map(l -> l.getSpec().getDhcpState() == DhcpState.Rebinding).orElse(false)
                        || cluster.agent(1).logText().contains("-> REBINDING"));
                assertThat(kubepdRoutes(1)).as("routes while rebinding, before the valid lifetime ends")
                        .isEqualTo(routes);
            } finally {
                cluster.kea().start();
            }
            Poll.until(CONVERGE, "node-1 bound again", () -> cluster.lease(1)
                    .map(l -> l.getSpec().getDhcpState() == DhcpState.Bound).orElse(false));
            assertThat(awaitReady(1).getSpec().getDelegatedPrefix())
                    .isEqualTo(before.getSpec().getDelegatedPrefix());
            assertThat(kubepdRoutes(1)).isEqualTo(routes);
        });
    }

    @Test
    @Order(6)
    void renumberingReachesKernelsLeasesAndStatusAndOldRoutesGo() {
        guard(() -> {
            List<String> oldPrefixes = List.of(awaitReady(1).getSpec().getDelegatedPrefix(),
                    awaitReady(2).getSpec().getDelegatedPrefix());
            cluster.kea().reconfigurePool(PdPool.of("2001:db8:200::/48", 56));

            for (int node = 1; node <= 2; node++) {
                int index = node;
                Poll.until(CONVERGE, "node " + node + " renumbered into 2001:db8:200::/48", () -> cluster.lease(index)
                        .filter(l -> l.getSpec().getDelegatedPrefix().startsWith("2001:db8:200:"))
                        .filter(l -> l.getStatus() != null && l.getStatus().getPhase() == LeasePhase.Ready)
                        .filter(l -> l.getSpec().getDelegatedPrefix().equals(l.getStatus().getDelegatedPrefix()))
                        .isPresent());
                PrefixLease lease = cluster.lease(index).orElseThrow();
                String podCidr = lease.getStatus().getPodCIDRs().get(0);
                assertThat(podCidr).startsWith("2001:db8:200:");
                awaitRoutes(index, Set.of("local " + podCidr, "unreachable " + lease.getSpec().getDelegatedPrefix()));
                String oldPrefix = oldPrefixes.get(index - 1);
                Poll.until(CONVERGE, "node " + node + "'s routes of " + oldPrefix + " gone", () -> kubepdRoutes(index)
                        .stream().noneMatch(r -> r.contains(oldPrefix.substring(0, oldPrefix.indexOf("::")))));
                String address = Demo.randomAddressIn(podCidr);
                Poll.until(Duration.ofSeconds(10), "router's ping to " + address,
                        () -> cluster.lab().router().ping6(address));
            }
        });
    }

    private static PrefixLease awaitReady(int node) {
        Poll.until(CONVERGE, "node-" + node + "'s lease Ready", () -> cluster.lease(node)
                .map(l -> l.getStatus() != null && l.getStatus().getPhase() == LeasePhase.Ready
                        && !l.getStatus().getPodCIDRs().isEmpty())
                .orElse(false));
        return cluster.lease(node).orElseThrow();
    }

    private static void awaitRoutes(int node, Set<String> expected) {
        Poll.until(CONVERGE, "node-" + node + " kernel routes " + expected,
                () -> kubepdRoutes(node).containsAll(expected));
    }

    /** The node's routes with kubepd's protocol number, as "type destination". */
    private static Set<String> kubepdRoutes(int node) {
        return cluster.lab().node(node).netns().routes().stream()
                .filter(r -> KUBEPD_PROTOCOL.equals(r.protocol()))
                .map(r -> (r.type() == null ? "unicast" : r.type()) + " " + r.destination())
                .collect(Collectors.toSet());
    }

    /** True when the answer to a ping of {@code address} comes from the node's own AnyIP route. */
    private static boolean answeredBy(int node, String address) {
        return cluster.lab().node(node).netns()
                .exec("ip", "-6", "route", "get", address).stdout().startsWith("local " + address);
    }

    private static void guard(Runnable scenario) {
        try {
            scenario.run();
        } catch (RuntimeException | AssertionError e) {
            failed = true;
            throw e;
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
