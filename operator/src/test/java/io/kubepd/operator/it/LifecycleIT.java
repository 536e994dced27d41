package io.kubepd.operator.it;

import static io.kubepd.operator.it.Cluster.awaitEvent;
import static io.kubepd.operator.it.Cluster.awaitLease;
import static io.kubepd.operator.it.Cluster.awaitPhase;
import static io.kubepd.operator.it.Cluster.awaitValue;
import static io.kubepd.operator.it.Cluster.condition;
import static io.kubepd.operator.it.Cluster.conditionIs;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubepd.crd.v1alpha1.Conditions;
import io.kubepd.crd.v1alpha1.DelegationPolicy;
import io.kubepd.crd.v1alpha1.DeprecatedPrefix;
import io.kubepd.crd.v1alpha1.DhcpState;
import io.kubepd.crd.v1alpha1.DrainingAllocation;
import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.PlannedRoute;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.crd.v1alpha1.RouteType;
import io.kubepd.operator.KubepdOperator;
import io.kubepd.operator.allocation.Allocator;
import io.kubepd.operator.publish.NodePublisher;
import io.kubepd.operator.publish.PublishedCondition;
import io.kubepd.operator.reconciler.PrefixLeaseReconciler;
import io.kubepd.operator.status.Timestamps;
import io.kubepd.testkit.kube.KubeApiServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Renumbering, expiry, conflicts, invalid policies and node removal against a real API server. */
class LifecycleIT {
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

  private static PrefixLease edit(String lease, java.util.function.UnaryOperator<PrefixLease> change) {
    return client.resources(PrefixLease.class).withName(lease).edit(change);
  }

  @Test
  void renumberingPublishesTheNewPrefixAtOnceAndDrainsTheOldOneUntilItsLifetimeEnds() {
    Node node = Cluster.node(client, "rn-1", Map.of());
    Cluster.createLease(client, "rn-1-eth0", node, "2001:db8:1:100::/56");
    awaitPhase(client, "rn-1-eth0", LeasePhase.Ready);

    Instant drainEnd = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.SECONDS);
    edit("rn-1-eth0", l -> {
      l.getSpec().setDelegatedPrefix("2001:db8:1:200::/56");
      l.getSpec().setDeprecatedPrefixes(List.of(
          new DeprecatedPrefix("2001:db8:1:100::/56", Timestamps.format(drainEnd))));
      return l;
    });
    PrefixLease renumbered = awaitLease(client, "rn-1-eth0",
        l -> "2001:db8:1:200::/56".equals(l.getStatus().getDelegatedPrefix()));
    assertThat(Instant.now()).isBefore(drainEnd);
    assertThat(renumbered.getStatus().getPodCIDRs()).containsExactly("2001:db8:1:200::/64");
    assertThat(renumbered.getStatus().getDraining()).singleElement().satisfies(d -> {
      assertThat(d.getDelegatedPrefix()).isEqualTo("2001:db8:1:100::/56");
      assertThat(d.getPodCIDRs()).containsExactly("2001:db8:1:100::/64");
      assertThat(d.getExpiresAt()).isEqualTo(Timestamps.format(drainEnd));
    });
    assertThat(renumbered.getStatus().getRoutes()).containsExactly(
        new PlannedRoute(RouteType.Local, "2001:db8:1:200::/64", "lo", null),
        new PlannedRoute(RouteType.Unreachable, "2001:db8:1:200::/56", null, null),
        new PlannedRoute(RouteType.Local, "2001:db8:1:100::/64", "lo", Timestamps.format(drainEnd)),
        new PlannedRoute(RouteType.Unreachable, "2001:db8:1:100::/56", null, Timestamps.format(drainEnd)));
    assertThat(client.nodes().withName("rn-1").get().getMetadata().getAnnotations())
        .containsEntry(NodePublisher.POD_CIDR_ANNOTATION, "2001:db8:1:200::/64");
    assertThat(awaitEvent(client, "PrefixLease", "rn-1-eth0", PrefixLeaseReconciler.RENUMBERED).getMessage())
        .isEqualTo("renumbered from 2001:db8:1:100::/56 to 2001:db8:1:200::/56: pod CIDR 2001:db8:1:200::/64; it "
            + "drains until " + Timestamps.format(drainEnd));
    awaitEvent(client, "Node", "rn-1", PrefixLeaseReconciler.RENUMBERED);

    // Nothing changes the lease when the drain ends: the operator rescheduled itself for that instant.
    PrefixLease drained = awaitLease(client, "rn-1-eth0", l -> l.getStatus().getDraining().isEmpty());
    assertThat(Instant.now()).isAfterOrEqualTo(drainEnd);
    assertThat(drained.getStatus().getRoutes()).extracting(PlannedRoute::getDestination)
        .containsExactly("2001:db8:1:200::/64", "2001:db8:1:200::/56");
    assertThat(Cluster.metric(operator.metrics().scrape(), "kubepd_renumberings_total")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void withoutTheAgentsReportTheOldPrefixDrainsUntilItsPublishedEnd() {
    Node node = Cluster.node(client, "rn-2", Map.of());
    Cluster.createLease(client, "rn-2-eth0", node, "2001:db8:1:300::/56");
    String oldEnd = awaitPhase(client, "rn-2-eth0", LeasePhase.Ready).getStatus().getExpiresAt();
    assertThat(oldEnd).isNotNull();
    edit("rn-2-eth0", l -> {
      l.getSpec().setDelegatedPrefix("2001:db8:1:400::/56");
      return l;
    });
    PrefixLease renumbered = awaitLease(client, "rn-2-eth0",
        l -> "2001:db8:1:400::/56".equals(l.getStatus().getDelegatedPrefix()));
    assertThat(renumbered.getStatus().getDraining()).extracting(DrainingAllocation::getDelegatedPrefix,
        DrainingAllocation::getExpiresAt).containsExactly(
            org.assertj.core.groups.Tuple.tuple("2001:db8:1:300::/56", oldEnd));
  }

  @Test
  void aLeaseWhoseLifetimeEndsExpiresWithoutAnyChange() {
    Node node = Cluster.node(client, "ex-1", Map.of());
    PrefixLease lease = Cluster.lease("ex-1-eth0", "ex-1", "2001:db8:4::/56", Instant.now().plusSeconds(4));
    lease.getMetadata().setOwnerReferences(List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
        .withApiVersion("v1").withKind("Node").withName("ex-1").withUid(node.getMetadata().getUid()).build()));
    client.resource(lease).create();
    awaitPhase(client, "ex-1-eth0", LeasePhase.Ready);
    awaitValue(() -> client.nodes().withName("ex-1").get().getMetadata().getAnnotations(),
        a -> a != null && a.containsKey(NodePublisher.POD_CIDR_ANNOTATION));

    PrefixLease expired = awaitPhase(client, "ex-1-eth0", LeasePhase.Expired);
    assertThat(expired.getStatus().getRoutes()).isEmpty();
    assertThat(expired.getStatus().getPodCIDRs()).isEmpty();
    assertThat(expired.getStatus().getExpiresAt()).as("removed from the status, not left behind").isNull();
    Condition condition = condition(expired, Conditions.EXPIRED).orElseThrow();
    assertThat(condition.getStatus()).isEqualTo(Conditions.TRUE);
    assertThat(condition.getReason()).isEqualTo(Allocator.VALID_LIFETIME_ENDED);
    assertThat(condition.getMessage()).contains("without renewal");
    assertThat(conditionIs(expired, Conditions.READY, Conditions.FALSE)).isTrue();
    awaitEvent(client, "PrefixLease", "ex-1-eth0", PrefixLeaseReconciler.EXPIRED);
    awaitEvent(client, "Node", "ex-1", PrefixLeaseReconciler.EXPIRED);
    awaitValue(() -> client.nodes().withName("ex-1").get().getMetadata().getAnnotations(),
        a -> a == null || !a.containsKey(NodePublisher.POD_CIDR_ANNOTATION));

    // The agent renews: the lease is Ready again.
    edit("ex-1-eth0", l -> {
      l.getSpec().setExpiresAt(Timestamps.format(Instant.now().plus(Duration.ofHours(1))));
      return l;
    });
    awaitPhase(client, "ex-1-eth0", LeasePhase.Ready);
  }

  @Test
  void theLaterOfTwoOverlappingLeasesIsInConflictUntilTheOverlapGoesAway() {
    Node first = Cluster.node(client, "cf-1", Map.of());
    Node second = Cluster.node(client, "cf-2", Map.of());
    Node third = Cluster.node(client, "cf-3", Map.of());
    Cluster.createLease(client, "cf-1-eth0", first, "2001:db8:2::/48");
    awaitPhase(client, "cf-1-eth0", LeasePhase.Ready);
    Cluster.createLease(client, "cf-2-eth0", second, "2001:db8:2:100::/56");

    PrefixLease conflicted = awaitPhase(client, "cf-2-eth0", LeasePhase.Conflict);
    Condition conflict = condition(conflicted, Conditions.CONFLICT).orElseThrow();
    assertThat(conflict.getStatus()).isEqualTo(Conditions.TRUE);
    assertThat(conflict.getMessage()).startsWith(
        "2001:db8:2:100::/56 overlaps 2001:db8:2::/48 of PrefixLease cf-1-eth0, which is older;");
    assertThat(conflicted.getStatus().getRoutes()).isEmpty();
    assertThat(conflicted.getStatus().getPodCIDRs()).isEmpty();
    assertThat(awaitEvent(client, "PrefixLease", "cf-2-eth0", PrefixLeaseReconciler.CONFLICT).getType())
        .isEqualTo("Warning");
    awaitEvent(client, "Node", "cf-2", PrefixLeaseReconciler.CONFLICT);
    assertThat(awaitPhase(client, "cf-1-eth0", LeasePhase.Ready).getStatus().getPodCIDRs())
        .containsExactly("2001:db8:2::/64");

    // The older lease moves away: the later one is Ready without any change of its own.
    String conflictedVersion = conflicted.getSpec().getDelegatedPrefix();
    edit("cf-1-eth0", l -> {
      l.getSpec().setDelegatedPrefix("2001:db8:3::/48");
      return l;
    });
    PrefixLease resolved = awaitPhase(client, "cf-2-eth0", LeasePhase.Ready);
    assertThat(resolved.getSpec().getDelegatedPrefix()).isEqualTo(conflictedVersion);
    assertThat(resolved.getStatus().getPodCIDRs()).containsExactly("2001:db8:2:100::/64");
    assertThat(conditionIs(resolved, Conditions.CONFLICT, Conditions.FALSE)).isTrue();

    // A third lease with the same prefix conflicts until the second is deleted.
    Cluster.createLease(client, "cf-3-eth0", third, "2001:db8:2:100::/56");
    assertThat(condition(awaitPhase(client, "cf-3-eth0", LeasePhase.Conflict), Conditions.CONFLICT)
        .orElseThrow().getMessage()).contains("of PrefixLease cf-2-eth0");
    client.resources(PrefixLease.class).withName("cf-2-eth0").delete();
    assertThat(awaitPhase(client, "cf-3-eth0", LeasePhase.Ready).getStatus().getPodCIDRs())
        .containsExactly("2001:db8:2:100::/64");
  }

  @Test
  void aPolicyThatDoesNotFitThePrefixMakesTheLeaseInvalid() {
    DelegationPolicy policy = Cluster.policy("too-wide", Map.of("kubepd.io/tier", "invalid"));
    policy.getSpec().setPodPrefixLength(48);
    client.resource(policy).create();
    Node node = Cluster.node(client, "iv-1", Map.of("kubepd.io/tier", "invalid"));
    Cluster.createLease(client, "iv-1-eth0", node, "2001:db8:5::/56");

    PrefixLease invalid = awaitPhase(client, "iv-1-eth0", LeasePhase.Invalid);
    Condition ready = condition(invalid, Conditions.READY).orElseThrow();
    assertThat(ready.getStatus()).isEqualTo(Conditions.FALSE);
    assertThat(ready.getReason()).isEqualTo(Allocator.PREFIX_LENGTH_TOO_SHORT);
    assertThat(ready.getMessage()).isEqualTo("the pod prefix /48 is larger than the delegated prefix 2001:db8:5::/56: "
        + "set podPrefixLength to 56 or more, or ask the DHCPv6 server for a larger prefix");
    assertThat(invalid.getStatus().getRoutes()).isEmpty();
    assertThat(invalid.getStatus().getPodCIDRs()).isEmpty();
    awaitEvent(client, "PrefixLease", "iv-1-eth0", PrefixLeaseReconciler.INVALID);

    // Fixing the policy fixes the lease.
    client.resources(DelegationPolicy.class).withName("too-wide").edit(p -> {
      p.getSpec().setPodPrefixLength(64);
      p.getSpec().setSubPrefixIndex(300);
      return p;
    });
    assertThat(condition(awaitLease(client, "iv-1-eth0",
        l -> condition(l, Conditions.READY).map(c -> Allocator.INDEX_OUT_OF_RANGE.equals(c.getReason()))
            .orElse(false)), Conditions.READY).orElseThrow().getMessage())
        .isEqualTo("subPrefixIndex 300 is out of range: 2001:db8:5::/56 holds 256 /64 prefixes (indexes 0 to 255)");
    client.resources(DelegationPolicy.class).withName("too-wide").edit(p -> {
      p.getSpec().setSubPrefixIndex(3);
      return p;
    });
    assertThat(awaitPhase(client, "iv-1-eth0", LeasePhase.Ready).getStatus().getPodCIDRs())
        .containsExactly("2001:db8:5:3::/64");
  }

  @Test
  void leasesOfADeletedNodeAreDeleted() {
    Node node = Cluster.node(client, "gone-1", Map.of());
    Cluster.createLease(client, "gone-1-eth0", node, "2001:db8:6::/56");
    PrefixLease second = Cluster.lease("gone-1-eth1", "gone-1", "2001:db8:7::/56", Instant.now().plusSeconds(3600));
    client.resource(second).create();
    awaitPhase(client, "gone-1-eth0", LeasePhase.Ready);
    awaitPhase(client, "gone-1-eth1", LeasePhase.Ready);

    client.nodes().withName("gone-1").delete();
    Cluster.awaitTrue(() -> Cluster.get(client, "gone-1-eth0") == null && Cluster.get(client, "gone-1-eth1") == null);
    assertThat(Cluster.metric(operator.metrics().scrape(), "kubepd_orphaned_leases_deleted_total"))
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void aConditionKeepsItsTransitionTimeWhileItsStatusHolds() {
    Node node = Cluster.node(client, "lt-1", Map.of());
    Cluster.createLease(client, "lt-1-eth0", node, "2001:db8:8::/56");
    PrefixLease ready = awaitLease(client, "lt-1-eth0",
        l -> conditionIs(l, Conditions.POD_CIDR_PUBLISHED, Conditions.TRUE));
    Condition before = condition(ready, Conditions.READY).orElseThrow();
    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(ready.getMetadata().getGeneration());

    // A policy now selects the node and moves the pod CIDR: Ready stays True with a new message.
    DelegationPolicy policy = Cluster.policy("lt", Map.of("kubepd.io/lt", "yes"));
    policy.getSpec().setSubPrefixIndex(7);
    client.resource(policy).create();
    client.nodes().withName("lt-1").edit(n -> {
      n.getMetadata().getLabels().put("kubepd.io/lt", "yes");
      return n;
    });
    PrefixLease moved = awaitLease(client, "lt-1-eth0",
        l -> List.of("2001:db8:8:7::/64").equals(l.getStatus().getPodCIDRs()));
    Condition after = condition(moved, Conditions.READY).orElseThrow();
    assertThat(after.getMessage()).isNotEqualTo(before.getMessage());
    assertThat(after.getLastTransitionTime()).isEqualTo(before.getLastTransitionTime());
    // PolicySelected went from False to True: a transition, so its time moved on (or stayed within the second).
    assertThat(conditionIs(ready, Conditions.POLICY_SELECTED, Conditions.FALSE)).isTrue();
    assertThat(conditionIs(moved, Conditions.POLICY_SELECTED, Conditions.TRUE)).isTrue();
    assertThat(Instant.parse(condition(moved, Conditions.POLICY_SELECTED).orElseThrow().getLastTransitionTime()))
        .isAfterOrEqualTo(Instant.parse(condition(ready, Conditions.POLICY_SELECTED).orElseThrow()
            .getLastTransitionTime()));
  }

  @Test
  void nodePodCidrsAreSetOnceAndARenumberingIsReportedNotFailed() {
    DelegationPolicy policy = Cluster.policy("podcidrs", Map.of("kubepd.io/podcidrs", "yes"));
    policy.getSpec().getPublish().setNodePodCIDRs(true);
    client.resource(policy).create();
    Node node = Cluster.node(client, "pc-1", Map.of("kubepd.io/podcidrs", "yes"));
    Cluster.createLease(client, "pc-1-eth0", node, "2001:db8:9:100::/56");
    awaitLease(client, "pc-1-eth0", l -> conditionIs(l, Conditions.POD_CIDR_PUBLISHED, Conditions.TRUE));
    assertThat(client.nodes().withName("pc-1").get().getSpec().getPodCIDRs()).containsExactly("2001:db8:9:100::/64");

    edit("pc-1-eth0", l -> {
      l.getSpec().setDelegatedPrefix("2001:db8:9:200::/56");
      return l;
    });
    PrefixLease renumbered = awaitLease(client, "pc-1-eth0",
        l -> condition(l, Conditions.POD_CIDR_PUBLISHED)
            .map(c -> PublishedCondition.NODE_POD_CIDRS_IMMUTABLE.equals(c.getReason())).orElse(false));
    assertThat(renumbered.getStatus().getPhase()).isEqualTo(LeasePhase.Ready);
    assertThat(condition(renumbered, Conditions.POD_CIDR_PUBLISHED).orElseThrow().getMessage())
        .startsWith("Node pc-1 keeps spec.podCIDRs [2001:db8:9:100::/64]: it cannot change once set");
    Node after = client.nodes().withName("pc-1").get();
    assertThat(after.getSpec().getPodCIDRs()).containsExactly("2001:db8:9:100::/64");
    assertThat(after.getMetadata().getAnnotations())
        .containsEntry(NodePublisher.POD_CIDR_ANNOTATION, "2001:db8:9:200::/64");
    awaitEvent(client, "Node", "pc-1", PublishedCondition.NODE_POD_CIDRS_IMMUTABLE);
    awaitEvent(client, "PrefixLease", "pc-1-eth0", PublishedCondition.NODE_POD_CIDRS_IMMUTABLE);
  }

  @Test
  void aNodeWithTwoLeasesPublishesItsOldestReadyOne() {
    Node node = Cluster.node(client, "ml-1", Map.of());
    Cluster.createLease(client, "ml-1-eth0", node, "2001:db8:a:100::/56");
    awaitPhase(client, "ml-1-eth0", LeasePhase.Ready);
    PrefixLease second = Cluster.lease("ml-1-eth1", "ml-1", "2001:db8:b:100::/56", Instant.now().plusSeconds(3600));
    second.getSpec().setInterfaceName("eth1");
    client.resource(second).create();
    PrefixLease other = awaitLease(client, "ml-1-eth1", l -> condition(l, Conditions.POD_CIDR_PUBLISHED)
        .map(c -> PublishedCondition.ANOTHER_LEASE.equals(c.getReason())).orElse(false));
    assertThat(other.getStatus().getPhase()).isEqualTo(LeasePhase.Ready);
    assertThat(client.nodes().withName("ml-1").get().getMetadata().getAnnotations())
        .containsEntry(NodePublisher.POD_CIDR_ANNOTATION, "2001:db8:a:100::/64");

    // The first uplink's client releases its prefix: the node publishes the second one, which is told so.
    edit("ml-1-eth0", l -> {
      l.getSpec().setDhcpState(DhcpState.Released);
      return l;
    });
    awaitPhase(client, "ml-1-eth0", LeasePhase.Expired);
    awaitLease(client, "ml-1-eth1", l -> conditionIs(l, Conditions.POD_CIDR_PUBLISHED, Conditions.TRUE));
    assertThat(client.nodes().withName("ml-1").get().getMetadata().getAnnotations())
        .containsEntry(NodePublisher.POD_CIDR_ANNOTATION, "2001:db8:b:100::/64");
    assertThat(awaitEvent(client, "PrefixLease", "ml-1-eth0", PrefixLeaseReconciler.EXPIRED).getType())
        .isEqualTo("Normal");
  }
}
