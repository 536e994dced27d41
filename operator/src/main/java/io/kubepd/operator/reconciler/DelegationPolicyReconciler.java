package io.kubepd.operator.reconciler;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.kubepd.crd.v1alpha1.Conditions;
import io.kubepd.crd.v1alpha1.DelegationPolicy;
import io.kubepd.crd.v1alpha1.DelegationPolicySpec;
import io.kubepd.crd.v1alpha1.DelegationPolicyStatus;
import io.kubepd.operator.allocation.Allocator;
import io.kubepd.operator.allocation.Carving;
import io.kubepd.operator.allocation.Ipv6Prefix;
import io.kubepd.operator.status.ConditionSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Reports on a DelegationPolicy: whether it can be applied (what the CRD schema cannot check: selector operators,
 * sub-prefixes overlapping each other or not fitting the hinted prefix length) and how many leases it governs.
 */
public final class DelegationPolicyReconciler implements Reconciler<DelegationPolicy> {
  /** Controller name. */
  public static final String NAME = "delegationpolicy";
  /** Condition reasons. */
  public static final String VALID = "Valid";
  public static final String INVALID_NODE_SELECTOR = "InvalidNodeSelector";

  /** Counts drift as leases come and go between wake-ups; a periodic look keeps them honest. */
  private static final Duration RECOUNT = Duration.ofSeconds(60);

  private final Clock clock;
  private final ToIntFunction<DelegationPolicy> leasesSelectedBy;
  private final SimpleInboundEventSource<DelegationPolicy> wakeups;

  /**
   * @param leasesSelectedBy number of leases of the nodes a policy selects
   * @param wakeups where the lease reconciler says which policies' counts changed
   */
  public DelegationPolicyReconciler(
      Clock clock, ToIntFunction<DelegationPolicy> leasesSelectedBy,
      SimpleInboundEventSource<DelegationPolicy> wakeups) {
    this.clock = clock;
    this.leasesSelectedBy = leasesSelectedBy;
    this.wakeups = wakeups;
  }

  @Override
  public List<EventSource<?, DelegationPolicy>> prepareEventSources(EventSourceContext<DelegationPolicy> context) {
    return List.of(wakeups);
  }

  @Override
  public UpdateControl<DelegationPolicy> reconcile(DelegationPolicy policy, Context<DelegationPolicy> context) {
    DelegationPolicySpec spec = policy.getSpec();
    List<String> problems = new ArrayList<>(LabelSelectors.problems(spec.getNodeSelector()));
    String reason = problems.isEmpty() ? VALID : INVALID_NODE_SELECTOR;
    int hint = spec.getUplinks() == null ? 0 : spec.getUplinks().stream()
        .map(DelegationPolicySpec.Uplink::getPrefixLengthHint)
        .filter(Objects::nonNull)
        .mapToInt(Integer::intValue)
        .min().orElse(0);
    // Where sub-prefixes land relative to each other does not depend on the delegated address, only on its length.
    Carving carving = Allocator.carve(Ipv6Prefix.parse("::/" + hint), PolicySelection.carving(spec));
    if (carving instanceof Carving.Rejected rejected) {
      if (problems.isEmpty()) {
        reason = rejected.reason();
      }
      problems.add((hint > 0 ? "for the /" + hint + " the uplinks ask for: " : "") + rejected.message());
    }
    DelegationPolicyStatus status = new DelegationPolicyStatus();
    status.setObservedGeneration(policy.getMetadata().getGeneration());
    status.setLeases(leasesSelectedBy.applyAsInt(policy));
    ConditionSet.Desired valid = problems.isEmpty()
        ? new ConditionSet.Desired(Conditions.VALID, Conditions.TRUE, VALID, hint > 0
            ? "the policy fits the /" + hint + " prefixes the uplinks ask for" : "the policy is consistent")
        : new ConditionSet.Desired(Conditions.VALID, Conditions.FALSE, reason, String.join("; ", problems));
    DelegationPolicyStatus previous = policy.getStatus();
    status.setConditions(ConditionSet.merge(previous == null ? null : previous.getConditions(), List.of(valid),
        policy.getMetadata().getGeneration(), clock.instant()));
    var mapper = Serialization.jsonMapper();
    UpdateControl<DelegationPolicy> control;
    if (previous != null && mapper.valueToTree(previous).equals(mapper.valueToTree(status))) {
      control = UpdateControl.noUpdate();
    } else {
      policy.setStatus(status);
      control = UpdateControl.patchStatus(policy);
    }
    return control.rescheduleAfter(RECOUNT);
  }
}
