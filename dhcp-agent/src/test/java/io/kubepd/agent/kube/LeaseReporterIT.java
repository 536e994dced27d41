package io.kubepd.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubepd.crd.v1alpha1.DhcpState;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.crd.v1alpha1.PrefixLeaseSpec;
import io.kubepd.testkit.kube.Crds;
import io.kubepd.testkit.kube.KubeApiServerExtension;
import io.kubepd.testkit.kube.ApiProxy;
import io.kubepd.testkit.lab.Poll;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The agent's lease reports on a real API server, also across an outage of it. */
class LeaseReporterIT {
    @RegisterExtension
    static final KubeApiServerExtension API = new KubeApiServerExtension();

    private ScheduledExecutorService executor;
    private ApiProxy proxy;
    private KubernetesClient agentClient;

    @BeforeAll
    static void installCrds() throws Exception {
        Crds.installAll(API.client(), Path.of("..", "helm", "kubepd", "crds"));
    }

    @BeforeEach
    void agentBehindAProxy() {
        Config admin = API.server().config();
        URI server = URI.create(admin.getMasterUrl());
        proxy = ApiProxy.tcp(server.getHost(), server.getPort());
        Config config = new ConfigBuilder(admin)
                .withMasterUrl("https://" + server.getHost() + ":" + proxy.port())
                .withRequestTimeout(2_000).withConnectionTimeout(1_000).withRequestRetryBackoffLimit(0)
                .build();
        agentClient = new KubernetesClientBuilder().withConfig(config).build();
        executor = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
        agentClient.close();
        proxy.close();
    }

    @Test
    void reportsALeaseOwnedByItsNodeWithServerSideApply() {
        var node = API.client().nodes().resource(new NodeBuilder().withNewMetadata().withName("node-r")
                .endMetadata().build()).create();
        var reporter = new LeaseReporter(agentClient, "node-r", executor, Duration.ofMillis(50), Duration.ofSeconds(1));

        reporter.report(spec("node-r", "2001:db8:0:100::/56", DhcpState.Bound));
        PrefixLease lease = awaitLease("node-r-eth0-1", "2001:db8:0:100::/56");

        assertThat(lease.getMetadata().getLabels())
                .containsEntry(PrefixLease.NODE_LABEL, "node-r")
                .containsEntry(PrefixLease.INTERFACE_LABEL, "eth0");
        assertThat(lease.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Node");
            assertThat(o.getUid()).isEqualTo(node.getMetadata().getUid());
        });
        assertThat(lease.getMetadata().getManagedFields())
                .anySatisfy(f -> assertThat(f.getManager()).isEqualTo(LeaseReporter.FIELD_MANAGER));
        Poll.until(Duration.ofSeconds(5), "reporter in sync", reporter::inSync);
    }

    @Test
    void keepsTheNewestSpecWhileTheApiServerIsAwayAndCatchesUp() {
        var reporter = new LeaseReporter(agentClient, "node-o", executor, Duration.ofMillis(50),
                Duration.ofMillis(400));
        reporter.report(spec("node-o", "2001:db8:0:300::/56", DhcpState.Bound));
        awaitLease("node-o-eth0-1", "2001:db8:0:300::/56");

        proxy.cut();
        reporter.report(spec("node-o", "2001:db8:0:300::/56", DhcpState.Renewing));
        reporter.report(spec("node-o", "2001:db8:0:400::/56", DhcpState.Bound));
        Poll.until(Duration.ofSeconds(10), "report attempts failing", () -> reporter.consecutiveFailures() >= 2);
        assertThat(reporter.inSync()).isFalse();
        assertThat(API.client().resources(PrefixLease.class).withName("node-o-eth0-1").get().getSpec()
                .getDelegatedPrefix()).isEqualTo("2001:db8:0:300::/56");

        proxy.resume();
        PrefixLease caughtUp = awaitLease("node-o-eth0-1", "2001:db8:0:400::/56");
        assertThat(caughtUp.getSpec().getDhcpState()).isEqualTo(DhcpState.Bound);
        Poll.until(Duration.ofSeconds(5), "reporter in sync", reporter::inSync);
        assertThat(reporter.consecutiveFailures()).isZero();
    }

    private static PrefixLease awaitLease(String name, String prefix) {
        Poll.until(Duration.ofSeconds(15), name + " with " + prefix, () -> {
            PrefixLease lease = API.client().resources(PrefixLease.class).withName(name).get();
            return lease != null && prefix.equals(lease.getSpec().getDelegatedPrefix());
        });
        return API.client().resources(PrefixLease.class).withName(name).get();
    }

    private static PrefixLeaseSpec spec(String node, String prefix, DhcpState state) {
        PrefixLeaseSpec spec = new PrefixLeaseSpec();
        spec.setNodeName(node);
        spec.setInterfaceName("eth0");
        spec.setIaid(1L);
        spec.setDelegatedPrefix(prefix);
        spec.setT1Seconds(1800);
        spec.setT2Seconds(2880);
        spec.setPreferredLifetimeSeconds(3600);
        spec.setValidLifetimeSeconds(7200);
        spec.setDhcpState(state);
        return spec;
    }
}
