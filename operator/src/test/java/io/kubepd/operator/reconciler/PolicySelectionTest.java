package io.kubepd.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.kubepd.crd.v1alpha1.Conditions;
import io.kubepd.crd.v1alpha1.DelegationPolicy;
import io.kubepd.crd.v1alpha1.DelegationPolicySpec;
import io.kubepd.crd.v1alpha1.RouteMode;
import io.kubepd.operator.allocation.CarvingPolicy;
import io.kubepd.operator.allocation.RoutePlanMode;
import io.kubepd.operator.allocation.SubPrefixRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicySelectionTest {

  private static DelegationPolicy policy(String name, String created, Map<String, String> selector) {
    DelegationPolicy policy = new DelegationPolicy();
    policy.getMetadata().setName(name);
    policy.getMetadata().setCreationTimestamp(created);
    if (!selector.isEmpty()) {
      policy.getSpec().setNodeSelector(new LabelSelectorBuilder().withMatchLabels(selector).build());
    }
    return policy;
  }

  @Test
  void theOldestMatchingPolicyAppliesThenByName() {
    DelegationPolicy young = policy("a-young", "2026-01-02T00:00:00Z", Map.of());
    DelegationPolicy old = policy("z-old", "2026-01-01T00:00:00Z", Map.of("zone", "a"));
    DelegationPolicy sameAge = policy("b-same", "2026-01-01T00:00:00Z", Map.of());
    DelegationPolicy elsewhere = policy("0-elsewhere", "2025-01-01T00:00:00Z", Map.of("zone", "b"));
    PolicySelection selection = PolicySelection.select("n1", Map.of("zone", "a"),
        List.of(young, old, sameAge, elsewhere));
    assertThat(selection.policyName()).contains("b-same");
    assertThat(selection.alsoSelecting()).containsExactly("z-old", "a-young");
    assertThat(selection.condition().reason()).isEqualTo(PolicySelection.SEVERAL_SELECT);
    assertThat(selection.condition().message()).startsWith("DelegationPolicies b-same, z-old, a-young select node n1;");
  }

  @Test
  void policiesBeingDeletedDoNotApply() {
    DelegationPolicy leaving = policy("leaving", "2026-01-01T00:00:00Z", Map.of());
    leaving.getMetadata().setDeletionTimestamp("2026-01-03T00:00:00Z");
    PolicySelection selection = PolicySelection.select("n1", Map.of(), List.of(leaving));
    assertThat(selection.policy()).isEmpty();
    assertThat(selection.carving()).isEqualTo(CarvingPolicy.DEFAULT);
    assertThat(selection.publish().isNodeAnnotations()).isTrue();
    assertThat(selection.publish().isNodePodCIDRs()).isFalse();
    assertThat(selection.condition().status()).isEqualTo(Conditions.FALSE);
    assertThat(selection.condition().reason()).isEqualTo(PolicySelection.NONE_SELECTS);
  }

  @Test
  void theSpecBecomesACarvingPolicy() {
    DelegationPolicy policy = policy("p", "2026-01-01T00:00:00Z", Map.of());
    policy.getSpec().setPodPrefixLength(80);
    policy.getSpec().setSubPrefixIndex(7);
    policy.getSpec().setRouteMode(RouteMode.UnreachableOnly);
    DelegationPolicySpec.SubPrefix lb = new DelegationPolicySpec.SubPrefix();
    lb.setName("lb");
    lb.setPrefixLength(64);
    lb.setIndex(3);
    policy.getSpec().setSubPrefixes(List.of(lb));
    policy.getSpec().setPublish(null);
    PolicySelection selection = PolicySelection.select("n1", Map.of(), List.of(policy));
    assertThat(selection.carving()).isEqualTo(new CarvingPolicy(80, 7, List.of(new SubPrefixRequest("lb", 64, 3)),
        RoutePlanMode.UNREACHABLE_ONLY));
    assertThat(selection.publish().isNodeAnnotations()).as("absent publish means the defaults").isTrue();
    assertThat(selection.condition().message()).isEqualTo("DelegationPolicy p selects node n1");
    policy.getSpec().setRouteMode(RouteMode.None);
    assertThat(PolicySelection.carving(policy.getSpec()).routeMode()).isEqualTo(RoutePlanMode.NONE);
  }
}
