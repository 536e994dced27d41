package io.kubepd.operator.reconciler;

import io.kubepd.crd.v1alpha1.Conditions;
import io.kubepd.crd.v1alpha1.DelegationPolicy;
import io.kubepd.crd.v1alpha1.DelegationPolicySpec;
import io.kubepd.crd.v1alpha1.PublishTargets;
import io.kubepd.operator.allocation.CarvingPolicy;
import io.kubepd.operator.allocation.RoutePlanMode;
import io.kubepd.operator.allocation.SubPrefixRequest;
import io.kubepd.operator.status.ConditionSet;
import io.kubepd.operator.status.Timestamps;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which DelegationPolicy applies to a node: of those whose nodeSelector matches its labels the oldest, then by
 * name, so that every replica picks the same one; none means the defaults apply.
 */
public record PolicySelection(String nodeName, Optional<DelegationPolicy> policy, List<String> alsoSelecting) {

  /** Condition reasons. */
  public static final String SELECTED = "Selected";
  public static final String SEVERAL_SELECT = "SeveralPoliciesSelectNode";
  public static final String NONE_SELECTS = "NoPolicySelectsNode";

  /** Older policies first; a policy without creation time (not yet stored) sorts last. */
  static final Comparator<DelegationPolicy> PRECEDENCE =
      Comparator.comparing(PolicySelection::createdAt).thenComparing(p -> p.getMetadata().getName());

  public PolicySelection {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(policy, "policy");
    alsoSelecting = List.copyOf(alsoSelecting);
  }

  /** Picks the policy for a node with {@code labels} among {@code policies}. */
  public static PolicySelection select(
      String nodeName, Map<String, String> labels, Collection<DelegationPolicy> policies) {
    List<DelegationPolicy> matching = policies.stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> LabelSelectors.matches(p.getSpec().getNodeSelector(), labels))
        .sorted(PRECEDENCE)
        .toList();
    if (matching.isEmpty()) {
      return new PolicySelection(nodeName, Optional.empty(), List.of());
    }
    return new PolicySelection(nodeName, Optional.of(matching.get(0)),
        matching.subList(1, matching.size()).stream().map(p -> p.getMetadata().getName()).toList());
  }

  /** Name of the applied policy, if any. */
  public Optional<String> policyName() {
    return policy.map(p -> p.getMetadata().getName());
  }

  /** How the applied policy (or the default) carves prefixes. */
  public CarvingPolicy carving() {
    return policy.map(p -> carving(p.getSpec())).orElse(CarvingPolicy.DEFAULT);
  }

  /** Where the applied policy (or the default: Node annotations only) publishes pod CIDRs. */
  public PublishTargets publish() {
    return policy.map(p -> p.getSpec().getPublish()).filter(Objects::nonNull).orElseGet(PublishTargets::new);
  }

  /** The PolicySelected condition, saying which policy applies and why. */
  public ConditionSet.Desired condition() {
    if (policy.isEmpty()) {
      return new ConditionSet.Desired(Conditions.POLICY_SELECTED, Conditions.FALSE, NONE_SELECTS,
          "no DelegationPolicy selects node " + nodeName + "; the defaults apply: the first /64 of the delegated "
              + "prefix as pod CIDR, AnyIP routes, pod CIDR published in Node annotations");
    }
    String name = policyName().orElseThrow();
    if (alsoSelecting.isEmpty()) {
      return new ConditionSet.Desired(Conditions.POLICY_SELECTED, Conditions.TRUE, SELECTED,
          "DelegationPolicy " + name + " selects node " + nodeName);
    }
    return new ConditionSet.Desired(Conditions.POLICY_SELECTED, Conditions.TRUE, SEVERAL_SELECT,
        "DelegationPolicies " + name + ", " + String.join(", ", alsoSelecting) + " select node " + nodeName + "; "
            + name + " applies as the oldest (ties go by name). Narrow their nodeSelectors so that one policy "
            + "selects each node");
  }

  /** The carving a policy spec asks for. */
  public static CarvingPolicy carving(DelegationPolicySpec spec) {
    List<SubPrefixRequest> subs = spec.getSubPrefixes() == null ? List.of() : spec.getSubPrefixes().stream()
        .map(s -> new SubPrefixRequest(s.getName(), s.getPrefixLength(), s.getIndex()))
        .toList();
    RoutePlanMode mode = spec.getRouteMode() == null ? RoutePlanMode.ANY_IP : switch (spec.getRouteMode()) {
      case AnyIP -> RoutePlanMode.ANY_IP;
      case UnreachableOnly -> RoutePlanMode.UNREACHABLE_ONLY;
      case None -> RoutePlanMode.NONE;
    };
    return new CarvingPolicy(spec.getPodPrefixLength(), spec.getSubPrefixIndex(), subs, mode);
  }

  private static Instant createdAt(DelegationPolicy policy) {
    try {
      return Timestamps.parse(policy.getMetadata().getCreationTimestamp()).orElse(Instant.MAX);
    } catch (DateTimeParseException e) {
      return Instant.MAX;
    }
  }
}
