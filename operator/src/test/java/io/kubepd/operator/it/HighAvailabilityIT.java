package io.kubepd.operator.it;

import static io.kubepd.operator.it.Cluster.awaitLease;
import static io.kubepd.operator.it.Cluster.awaitPhase;
import static io.kubepd.operator.it.Cluster.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubepd.crd.v1alpha1.Conditions;
import io.kubepd.crd.v1alpha1.DelegationPolicy;
import io.kubepd.crd.v1alpha1.DelegationPolicySpec;
import io.kubepd.crd.v1alpha1.DeprecatedPrefix;
import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.operator.KubepdOperator;
import io.kubepd.operator.OperatorSettings;
import io.kubepd.operator.status.Timestamps;
import io.kubepd.testkit.kube.KubeApiServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Restarts and leader hand-over: whichever replica reconciles computes the same allocations, so a new leader
 * rewrites no status (resourceVersions stay).
 */
class HighAvailabilityIT {
  @RegisterExtension
  static final KubeApiServerExtension API = new KubeApiServerExtension();

  private static KubernetesClient client;
  private final List<AutoCloseable> started = new ArrayList<>();

  @BeforeAll
  static void start() {
    client = API.client();
    Cluster.installCrds(client);
    DelegationPolicy policy = Cluster.policy("ha", Map.of("ha", "yes"));
    policy.getSpec().setPodPrefixLength(60);
    policy.getSpec().setSubPrefixIndex(3);
    DelegationPolicySpec.SubPrefix lb = new DelegationPolicySpec.SubPrefix();
    lb.setName("lb");
    lb.setPrefixLength(64);
    lb.setIndex(0);
    policy.getSpec().setSubPrefixes(List.of(lb));
    client.resource(policy).create();
  }

  @AfterEach
  void stopAll() throws Exception {
    // Replicas before the clients they use.
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
    started.clear();
  }

  /** A replica with its own client, as a separate process would have. */
  private KubepdOperator replica(String identity, boolean leaderElection) {
    KubernetesClient own = new KubernetesClientBuilder().withConfig(API.server().config()).build();
    started.add(own);
    OperatorSettings settings = Cluster.settings(identity)
        .withLeaderElection(leaderElection, "default", "kubepd-operator-ha")
        .withLeaderTiming(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(500), false);
    KubepdOperator replica = KubepdOperator.start(own, settings);
    started.add(replica);
    return replica;
  }

  /** Leases in every state worth comparing: plain, policy with sub-prefixes, draining, conflicting. */
  private static List<String> createLeases(String prefix, int hextet) {
    Node plain = Cluster.node(client, prefix + "-plain", Map.of());
    Node ha = Cluster.node(client, prefix + "-policy", Map.of("ha", "yes"));
    Node conflicting = Cluster.node(client, prefix + "-conflict", Map.of());
    String base = "2001:db8:" + Integer.toHexString(hextet);
    Cluster.createLease(client, prefix + "-plain-eth0", plain, base + ":100::/56");
    Cluster.createLease(client, prefix + "-policy-eth0", ha, base + ":200::/56");
    Instant plainCreated = Instant.parse(
        awaitPhase(client, prefix + "-plain-eth0", LeasePhase.Ready).getMetadata().getCreationTimestamp());
    // Creation times have second precision and ties go by name: the conflicting lease must be a second younger.
    awaitTrue(() -> Instant.now().getEpochSecond() > plainCreated.getEpochSecond());
    Cluster.createLease(client, prefix + "-conflict-eth0", conflicting, base + ":100::/60");
    client.resources(PrefixLease.class).withName(prefix + "-policy-eth0").edit(l -> {
      l.getSpec().setDelegatedPrefix(base + ":300::/56");
      l.getSpec().setDeprecatedPrefixes(List.of(new DeprecatedPrefix(base + ":200::/56",
          Timestamps.format(Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS)))));
      return l;
    });
    return List.of(prefix + "-plain-eth0", prefix + "-policy-eth0", prefix + "-conflict-eth0");
  }

  private static Map<String, PrefixLease> settled(List<String> leases) {
    awaitPhase(client, leases.get(2), LeasePhase.Conflict);
    awaitLease(client, leases.get(1), l -> l.getStatus() != null && l.getStatus().getDraining().size() == 1);
    Map<String, PrefixLease> stored = new LinkedHashMap<>();
    for (String lease : leases) {
      stored.put(lease, awaitLease(client, lease, l -> l.getStatus() != null
          && l.getStatus().getObservedGeneration().equals(l.getMetadata().getGeneration())
          && Cluster.condition(l, Conditions.POD_CIDR_PUBLISHED).isPresent()));
    }
    return stored;
  }

  private static void assertUnchanged(Map<String, PrefixLease> before) {
    before.forEach((name, lease) -> {
      PrefixLease now = Cluster.get(client, name);
      assertThat(now.getMetadata().getResourceVersion()).as(name + " was not rewritten")
          .isEqualTo(lease.getMetadata().getResourceVersion());
      assertThat(now.getStatus().getRoutes()).isEqualTo(lease.getStatus().getRoutes());
    });
  }

  @Test
  void aRestartedOperatorComputesTheSameAllocations() throws Exception {
    KubepdOperator first = replica("first", false);
    Map<String, PrefixLease> before = settled(createLeases("rs", 0x40));
    assertThat(before.get("rs-policy-eth0").getStatus().getPodCIDRs()).containsExactly("2001:db8:40:330::/60");
    first.close();

    KubepdOperator second = replica("second", false);
    // Every lease is reconciled once on start; none of them needs a new status.
    awaitTrue(() -> second.metrics().reconciliations() >= before.size());
    awaitTrue(() -> second.metrics().leases(LeasePhase.Ready) + second.metrics().leases(LeasePhase.Conflict)
        >= before.size());
    assertUnchanged(before);
  }

  @Test
  void theStandbyTakesOverWithTheSameAllocations() {
    KubepdOperator a = replica("replica-a", true);
    KubepdOperator b = replica("replica-b", true);
    awaitTrue(() -> a.leader() ^ b.leader());
    KubepdOperator leader = a.leader() ? a : b;
    KubepdOperator standby = leader == a ? b : a;
    assertThat(standby.ready()).as("a standby is ready: its caches are warm").isTrue();
    Map<String, PrefixLease> before = settled(createLeases("ho", 0x50));
    assertThat(standby.metrics().reconciliations()).as("the standby reconciles nothing").isZero();

    leader.close();
    awaitTrue(standby::leader);
    awaitTrue(() -> standby.metrics().reconciliations() >= before.size());
    assertUnchanged(before);

    // The new leader serves new leases.
    Node late = Cluster.node(client, "ho-late", Map.of());
    Cluster.createLease(client, "ho-late-eth0", late, "2001:db8:51::/56");
    assertThat(awaitPhase(client, "ho-late-eth0", LeasePhase.Ready).getStatus().getPodCIDRs())
        .containsExactly("2001:db8:51::/64");
    assertThat(Stream.of(a, b).filter(KubepdOperator::leader).count()).isEqualTo(1);
  }
}
