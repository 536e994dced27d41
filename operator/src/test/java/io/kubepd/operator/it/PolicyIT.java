package io.kubepd.operator.it;

import static io.kubepd.operator.it.Cluster.awaitLease;
import static io.kubepd.operator.it.Cluster.awaitPhase;
import static io.kubepd.operator.it.Cluster.awaitTrue;
import static io.kubepd.operator.it.Cluster.awaitValue;
import static io.kubepd.operator.it.Cluster.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubepd.crd.v1alpha1.Conditions;
import io.kubepd.crd.v1alpha1.DelegationPolicy;
import io.kubepd.crd.v1alpha1.DelegationPolicySpec;
import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.operator.KubepdOperator;
import io.kubepd.operator.allocation.Allocator;
import io.kubepd.operator.reconciler.DelegationPolicyReconciler;
import io.kubepd.operator.reconciler.PolicySelection;
import io.kubepd.testkit.kube.KubeApiServerExtension;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** DelegationPolicy selection, changes, validation and status against a real API server. */
class PolicyIT {
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
  void theOldestOfSeveralSelectingPoliciesAppliesAndTheConditionSaysSo() {
    DelegationPolicy older = Cluster.policy("z-older", Map.of("zone", "z1"));
    older.getSpec().setSubPrefixIndex(1);
    Instant created = Instant.parse(client.resource(older).create().getMetadata().getCreationTimestamp());
    // Creation times have second precision: the second policy must be visibly younger.
    awaitTrue(() -> Instant.now().getEpochSecond() > created.getEpochSecond());
    DelegationPolicy younger = Cluster.policy("a-younger", Map.of("zone", "z1"));
    younger.getSpec().setSubPrefixIndex(2);
    client.resource(younger).create();
    Node node = Cluster.node(client, "z1-1", Map.of("zone", "z1"));
    Cluster.createLease(client, "z1-1-eth0", node, "2001:db8:10::/56");

    PrefixLease lease = awaitPhase(client, "z1-1-eth0", LeasePhase.Ready);
    assertThat(lease.getStatus().getPolicy()).isEqualTo("z-older");
    assertThat(lease.getStatus().getPodCIDRs()).containsExactly("2001:db8:10:1::/64");
    Condition selected = condition(lease, Conditions.POLICY_SELECTED).orElseThrow();
    assertThat(selected.getReason()).isEqualTo(PolicySelection.SEVERAL_SELECT);
    assertThat(selected.getMessage()).isEqualTo("DelegationPolicies z-older, a-younger select node z1-1; z-older "
        + "applies as the oldest (ties go by name). Narrow their nodeSelectors so that one policy selects each node");

    client.resources(DelegationPolicy.class).withName("z-older").delete();
    PrefixLease replanned = awaitLease(client, "z1-1-eth0", l -> "a-younger".equals(l.getStatus().getPolicy()));
    assertThat(replanned.getStatus().getPodCIDRs()).containsExactly("2001:db8:10:2::/64");
    assertThat(condition(replanned, Conditions.POLICY_SELECTED).orElseThrow().getReason())
        .isEqualTo(PolicySelection.SELECTED);
  }

  @Test
  void aPolicyChangeReplansOnlyTheNodesItSelects() {
    client.resource(Cluster.policy("zone-a", Map.of("zone", "a"))).create();
    Map<String, String> selected = Map.of("pa-1-eth0", "2001:db8:20:100::/56", "pa-2-eth0", "2001:db8:20:200::/56");
    Map<String, String> others = new HashMap<>();
    for (int i = 1; i <= 8; i++) {
      others.put("pb-" + i + "-eth0", "2001:db8:21:" + Integer.toHexString(i * 256) + "::/56");
    }
    selected.forEach((lease, prefix) -> Cluster.createLease(client, lease,
        Cluster.node(client, lease.replace("-eth0", ""), Map.of("zone", "a")), prefix));
    others.forEach((lease, prefix) -> Cluster.createLease(client, lease,
        Cluster.node(client, lease.replace("-eth0", ""), Map.of("zone", "b")), prefix));
    Map<String, String> versions = new HashMap<>();
    for (String lease : others.keySet()) {
      versions.put(lease, awaitLease(client, lease, l -> Cluster.conditionIs(l, Conditions.POD_CIDR_PUBLISHED,
          Conditions.TRUE)).getMetadata().getResourceVersion());
    }
    selected.keySet().forEach(lease -> awaitLease(client, lease,
        l -> Cluster.conditionIs(l, Conditions.POD_CIDR_PUBLISHED, Conditions.TRUE)));
    long reconciledBefore = operator.metrics().reconciliations();

    client.resources(DelegationPolicy.class).withName("zone-a").edit(p -> {
      p.getSpec().setSubPrefixIndex(5);
      return p;
    });
    assertThat(awaitLease(client, "pa-1-eth0", l -> List.of("2001:db8:20:105::/64").equals(l.getStatus()
        .getPodCIDRs())).getStatus().getPolicy()).isEqualTo("zone-a");
    awaitLease(client, "pa-2-eth0", l -> List.of("2001:db8:20:205::/64").equals(l.getStatus().getPodCIDRs()));
    long reconciled = operator.metrics().reconciliations() - reconciledBefore;
    assertThat(reconciled).as("reconciliations after the policy change").isLessThan(others.size());
    for (String lease : others.keySet()) {
      assertThat(Cluster.get(client, lease).getMetadata().getResourceVersion()).as(lease)
          .isEqualTo(versions.get(lease));
    }
    assertThat(awaitValue(() -> client.resources(DelegationPolicy.class).withName("zone-a").get(),
        p -> p.getStatus() != null && Integer.valueOf(2).equals(p.getStatus().getLeases()))
        .getStatus().getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void theSchemaRejectsPoliciesThatCannotWork() {
    DelegationPolicy tooLong = Cluster.policy("too-long", Map.of());
    tooLong.getSpec().setPodPrefixLength(200);
    assertThatThrownBy(() -> client.resource(tooLong).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("spec.podPrefixLength");

    DelegationPolicy twice = Cluster.policy("twice", Map.of());
    DelegationPolicySpec.Uplink again = new DelegationPolicySpec.Uplink();
    again.setInterfaceName("eth0");
    twice.getSpec().setUplinks(List.of(twice.getSpec().getUplinks().get(0), again));
    assertThatThrownBy(() -> client.resource(twice).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("each uplink interface may be listed once");

    DelegationPolicy shorterThanHint = Cluster.policy("shorter", Map.of());
    shorterThanHint.getSpec().getUplinks().get(0).setPrefixLengthHint(60);
    shorterThanHint.getSpec().setPodPrefixLength(56);
    assertThatThrownBy(() -> client.resource(shorterThanHint).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("podPrefixLength must be at least every uplink's prefixLengthHint");
  }

  @Test
  void whatTheSchemaCannotSeeIsReportedInThePolicyStatus() {
    DelegationPolicy overlapping = Cluster.policy("overlapping", Map.of("zone", "none"));
    DelegationPolicySpec.SubPrefix lb = new DelegationPolicySpec.SubPrefix();
    lb.setName("lb");
    lb.setPrefixLength(80);
    lb.setIndex(0);
    overlapping.getSpec().setSubPrefixes(List.of(lb));
    client.resource(overlapping).create();
    Condition valid = awaitValid("overlapping");
    assertThat(valid.getStatus()).isEqualTo(Conditions.FALSE);
    assertThat(valid.getReason()).isEqualTo(Allocator.SUB_PREFIXES_OVERLAP);
    assertThat(valid.getMessage()).isEqualTo("sub-prefix lb ::/80 overlaps the pod CIDR ::/64: give it another index "
        + "or length");

    DelegationPolicy outOfRange = Cluster.policy("out-of-range", Map.of("zone", "none"));
    outOfRange.getSpec().getUplinks().get(0).setPrefixLengthHint(60);
    outOfRange.getSpec().setSubPrefixIndex(16);
    client.resource(outOfRange).create();
    Condition range = awaitValid("out-of-range");
    assertThat(range.getReason()).isEqualTo(Allocator.INDEX_OUT_OF_RANGE);
    assertThat(range.getMessage()).isEqualTo("for the /60 the uplinks ask for: subPrefixIndex 16 is out of range: "
        + "::/60 holds 16 /64 prefixes (indexes 0 to 15)");

    DelegationPolicy badSelector = Cluster.policy("bad-selector", Map.of());
    badSelector.getSpec().setNodeSelector(new LabelSelectorBuilder().withMatchExpressions(
        new LabelSelectorRequirementBuilder().withKey("zone").withOperator("Equals").withValues("a").build()).build());
    client.resource(badSelector).create();
    Condition selector = awaitValid("bad-selector");
    assertThat(selector.getReason()).isEqualTo(DelegationPolicyReconciler.INVALID_NODE_SELECTOR);
    assertThat(selector.getMessage())
        .isEqualTo("nodeSelector operator \"Equals\" on key zone is not In, NotIn, Exists or DoesNotExist");

    DelegationPolicy fine = Cluster.policy("fine", Map.of("zone", "none"));
    fine.getSpec().getUplinks().get(0).setPrefixLengthHint(56);
    client.resource(fine).create();
    Condition ok = awaitValid("fine");
    assertThat(ok.getStatus()).isEqualTo(Conditions.TRUE);
    assertThat(ok.getMessage()).isEqualTo("the policy fits the /56 prefixes the uplinks ask for");
  }

  private static Condition awaitValid(String policy) {
    return awaitValue(() -> client.resources(DelegationPolicy.class).withName(policy).get(),
        p -> p.getStatus() != null && !p.getStatus().getConditions().isEmpty())
        .getStatus().getConditions().get(0);
  }
}
