package io.kubepd.operator.it;

import static io.kubepd.operator.it.Cluster.awaitEvent;
import static io.kubepd.operator.it.Cluster.awaitLease;
import static io.kubepd.operator.it.Cluster.awaitPhase;
import static io.kubepd.operator.it.Cluster.awaitValue;
import static io.kubepd.operator.it.Cluster.condition;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubepd.crd.v1alpha1.Conditions;
import io.kubepd.crd.v1alpha1.DelegationPolicy;
import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.NamedPrefix;
import io.kubepd.crd.v1alpha1.PlannedRoute;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.crd.v1alpha1.RouteMode;
import io.kubepd.crd.v1alpha1.RouteType;
import io.kubepd.crd.v1alpha1.DelegationPolicySpec;
import io.kubepd.operator.KubepdOperator;
import io.kubepd.operator.allocation.Allocator;
import io.kubepd.operator.publish.NodePublisher;
import io.kubepd.operator.reconciler.PolicySelection;
import io.kubepd.operator.reconciler.PrefixLeaseReconciler;
import io.kubepd.testkit.kube.KubeApiServerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Allocation, policies and publishing against a real API server. */
class AllocationIT {
  @RegisterExtension
  static final KubeApiServerExtension API = new KubeApiServerExtension();

  private static KubernetesClient client;
  private static KubepdOperator operator;

  @BeforeAll
  static void start() {
    client = API.client();
    Cluster.installCrds(client);
    operator = Cluster.operator(client);
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void withoutAPolicyTheDefaultsApplyAndThePodCidrIsPublished() {
    Node node = Cluster.node(client, "default-node", Map.of());
    // The agent normally sets the owner reference; the operator adds it when missing.
    client.resource(Cluster.lease("default-node-eth0", "default-node", "2001:db8:0:100::/56",
        Instant.now().plusSeconds(3600))).create();

    PrefixLease lease = awaitPhase(client, "default-node-eth0", LeasePhase.Ready);
    assertThat(lease.getStatus().getPodCIDRs()).containsExactly("2001:db8:0:100::/64");
    assertThat(lease.getStatus().getDelegatedPrefix()).isEqualTo("2001:db8:0:100::/56");
    assertThat(lease.getStatus().getRoutes()).containsExactly(
        new PlannedRoute(RouteType.Local, "2001:db8:0:100::/64", "lo", null),
        new PlannedRoute(RouteType.Unreachable, "2001:db8:0:100::/56", null, null));
    assertThat(lease.getStatus().getPolicy()).isNull();
    assertThat(condition(lease, Conditions.READY).orElseThrow().getReason()).isEqualTo("Allocated");
    assertThat(condition(lease, Conditions.CONFLICT).orElseThrow().getStatus()).isEqualTo(Conditions.FALSE);
    assertThat(condition(lease, Conditions.EXPIRED).orElseThrow().getStatus()).isEqualTo(Conditions.FALSE);
    assertThat(condition(lease, Conditions.POLICY_SELECTED).orElseThrow().getReason())
        .isEqualTo(PolicySelection.NONE_SELECTS);
    PrefixLease published = awaitLease(client, "default-node-eth0",
        l -> Cluster.conditionIs(l, Conditions.POD_CIDR_PUBLISHED, Conditions.TRUE));
    assertThat(condition(published, Conditions.POD_CIDR_PUBLISHED).orElseThrow().getMessage())
        .contains("annotation kubepd.io/pod-cidr");
    assertThat(published.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(node.getMetadata().getUid()));

    Node after = client.nodes().withName("default-node").get();
    assertThat(after.getMetadata().getAnnotations())
        .containsEntry(NodePublisher.POD_CIDR_ANNOTATION, "2001:db8:0:100::/64")
        .containsEntry(NodePublisher.DELEGATED_PREFIX_ANNOTATION, "2001:db8:0:100::/56")
        .doesNotContainKey(NodePublisher.KUBE_ROUTER_ANNOTATION);
    assertThat(after.getSpec().getPodCIDRs()).isNullOrEmpty();
    assertThat(awaitEvent(client, "PrefixLease", "default-node-eth0", PrefixLeaseReconciler.ALLOCATED).getMessage())
        .isEqualTo("pod CIDR 2001:db8:0:100::/64 allocated from 2001:db8:0:100::/56 for node default-node");
    awaitEvent(client, "Node", "default-node", PrefixLeaseReconciler.ALLOCATED);
  }

  @Test
  void aPolicyCarvesSubPrefixesAndPublishesEverywhereItSays() {
    DelegationPolicy policy = Cluster.policy("edge", Map.of("kubepd.io/role", "edge"));
    policy.getSpec().setPodPrefixLength(64);
    policy.getSpec().setSubPrefixIndex(2);
    DelegationPolicySpec.SubPrefix lb = new DelegationPolicySpec.SubPrefix();
    lb.setName("loadbalancer");
    lb.setPrefixLength(64);
    lb.setIndex(255);
    policy.getSpec().setSubPrefixes(List.of(lb));
    policy.getSpec().getPublish().setKubeRouterAnnotation(true);
    policy.getSpec().getPublish().setNodePodCIDRs(true);
    client.resource(policy).create();
    Node node = Cluster.node(client, "edge-1", Map.of("kubepd.io/role", "edge"));
    Cluster.createLease(client, "edge-1-eth0", node, "2001:db8:0:200::/56");

    PrefixLease lease = awaitLease(client, "edge-1-eth0",
        l -> Cluster.conditionIs(l, Conditions.POD_CIDR_PUBLISHED, Conditions.TRUE));
    assertThat(lease.getStatus().getPolicy()).isEqualTo("edge");
    assertThat(lease.getStatus().getPodCIDRs()).containsExactly("2001:db8:0:202::/64");
    assertThat(lease.getStatus().getSubPrefixes())
        .containsExactly(new NamedPrefix("loadbalancer", "2001:db8:0:2ff::/64"));
    assertThat(lease.getStatus().getRoutes()).extracting(PlannedRoute::getType, PlannedRoute::getDestination)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(RouteType.Local, "2001:db8:0:202::/64"),
            org.assertj.core.groups.Tuple.tuple(RouteType.Local, "2001:db8:0:2ff::/64"),
            org.assertj.core.groups.Tuple.tuple(RouteType.Unreachable, "2001:db8:0:200::/56"));
    assertThat(condition(lease, Conditions.POLICY_SELECTED).orElseThrow().getMessage())
        .isEqualTo("DelegationPolicy edge selects node edge-1");
    Node after = client.nodes().withName("edge-1").get();
    assertThat(after.getSpec().getPodCIDRs()).containsExactly("2001:db8:0:202::/64");
    assertThat(after.getSpec().getPodCIDR()).isEqualTo("2001:db8:0:202::/64");
    assertThat(after.getMetadata().getAnnotations())
        .containsEntry(NodePublisher.KUBE_ROUTER_ANNOTATION, "2001:db8:0:202::/64");

    DelegationPolicy stored = awaitValue(() -> client.resources(DelegationPolicy.class).withName("edge").get(),
        p -> p.getStatus() != null && Integer.valueOf(1).equals(p.getStatus().getLeases()));
    assertThat(stored.getStatus().getConditions()).singleElement()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo(Conditions.TRUE));
  }

  @Test
  void thePodCidrAndTheRoutesAvoidThePrefixTheServerExcluded() {
    Node node = Cluster.node(client, "excluding-node", Map.of());
    PrefixLease lease = Cluster.lease("excluding-node-eth0", "excluding-node", "2001:db8:0:e00::/56",
        Instant.now().plusSeconds(3600));
    // As the agent reports an RFC 6603 PD_EXCLUDE: the upstream router uses the first /64 on its link.
    lease.getSpec().setExcludedPrefix("2001:db8:0:e00::/64");
    client.resource(lease).create();

    PrefixLease ready = awaitPhase(client, "excluding-node-eth0", LeasePhase.Ready);
    assertThat(ready.getStatus().getExcludedPrefix()).isEqualTo("2001:db8:0:e00::/64");
    assertThat(ready.getStatus().getPodCIDRs()).containsExactly("2001:db8:0:e01::/64");
    assertThat(ready.getStatus().getRoutes()).containsExactly(
        new PlannedRoute(RouteType.Local, "2001:db8:0:e01::/64", "lo", null),
        new PlannedRoute(RouteType.Unreachable, "2001:db8:0:e01::/64", null, null),
        new PlannedRoute(RouteType.Unreachable, "2001:db8:0:e02::/63", null, null),
        new PlannedRoute(RouteType.Unreachable, "2001:db8:0:e04::/62", null, null),
        new PlannedRoute(RouteType.Unreachable, "2001:db8:0:e08::/61", null, null),
        new PlannedRoute(RouteType.Unreachable, "2001:db8:0:e10::/60", null, null),
        new PlannedRoute(RouteType.Unreachable, "2001:db8:0:e20::/59", null, null),
        new PlannedRoute(RouteType.Unreachable, "2001:db8:0:e40::/58", null, null),
        new PlannedRoute(RouteType.Unreachable, "2001:db8:0:e80::/57", null, null));
    assertThat(condition(ready, Conditions.READY).orElseThrow().getMessage())
        .contains("number 0 overlaps 2001:db8:0:e00::/64, which the DHCPv6 server excluded for its link");
    PrefixLease published = awaitLease(client, "excluding-node-eth0",
        l -> Cluster.conditionIs(l, Conditions.POD_CIDR_PUBLISHED, Conditions.TRUE));
    assertThat(published.getStatus().getPodCIDRs()).containsExactly("2001:db8:0:e01::/64");
    assertThat(client.nodes().withName(node.getMetadata().getName()).get().getMetadata().getAnnotations())
        .containsEntry(NodePublisher.POD_CIDR_ANNOTATION, "2001:db8:0:e01::/64");
  }

  @Test
  void aPolicyThatLeavesNoRoomBesideTheExcludedPrefixMakesTheLeaseInvalid() {
    DelegationPolicy policy = Cluster.policy("whole-prefix", Map.of("kubepd.io/role", "whole-prefix"));
    policy.getSpec().setPodPrefixLength(56);
    client.resource(policy).create();
    Node node = Cluster.node(client, "whole-1", Map.of("kubepd.io/role", "whole-prefix"));
    PrefixLease lease = Cluster.lease("whole-1-eth0", "whole-1", "2001:db8:0:f00::/56",
        Instant.now().plusSeconds(3600));
    lease.getSpec().setExcludedPrefix("2001:db8:0:f00::/64");
    client.resource(lease).create();

    PrefixLease invalid = awaitPhase(client, "whole-1-eth0", LeasePhase.Invalid);
    assertThat(condition(invalid, Conditions.READY).orElseThrow()).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo(Conditions.FALSE);
      assertThat(c.getReason()).isEqualTo(Allocator.EXCLUDED_PREFIX_LEAVES_NO_ROOM);
      assertThat(c.getMessage()).startsWith("the pod prefix 2001:db8:0:f00::/56 overlaps 2001:db8:0:f00::/64");
    });
    assertThat(invalid.getStatus().getRoutes()).isEmpty();
    assertThat(invalid.getStatus().getPodCIDRs()).isEmpty();
    Map<String, String> annotations = client.nodes().withName(node.getMetadata().getName()).get().getMetadata()
        .getAnnotations();
    assertThat(annotations == null ? Map.<String, String>of() : annotations)
        .doesNotContainKey(NodePublisher.POD_CIDR_ANNOTATION);
  }

  @Test
  void healthAndMetricsEndpointsAnswer() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + operator.healthPort() + "/readyz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    HttpResponse<String> live = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + operator.healthPort() + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(live.statusCode()).isEqualTo(200);
    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + operator.metricsPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("kubepd_reconcile_seconds_bucket", "kubepd_leases{phase=\"Ready\"}",
        "kubepd_conflicts_total", "kubepd_renumberings_total", "jvm_memory_used_bytes");
  }
}
