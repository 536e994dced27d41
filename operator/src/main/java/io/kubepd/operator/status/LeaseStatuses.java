package io.kubepd.operator.status;

import io.kubepd.crd.v1alpha1.Conditions;
import io.kubepd.crd.v1alpha1.DrainingAllocation;
import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.NamedPrefix;
import io.kubepd.crd.v1alpha1.PlannedRoute;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.crd.v1alpha1.PrefixLeaseStatus;
import io.kubepd.crd.v1alpha1.RouteType;
import io.kubepd.operator.allocation.Allocation;
import io.kubepd.operator.allocation.Drain;
import io.kubepd.operator.allocation.Ipv6Prefix;
import io.kubepd.operator.allocation.Route;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns an allocation into a PrefixLease status: phase, prefixes, route plan, draining, standard conditions. */
public final class LeaseStatuses {
  /** Condition reasons for the False side of Conflict and Expired. */
  public static final String NO_OVERLAP = "NoOverlap";
  public static final String WITHIN_LIFETIME = "WithinValidLifetime";

  private LeaseStatuses() {}

  /** What a status says about a lease besides its allocation. */
  public record Context(
      String delegatedPrefix,
      Optional<String> excludedPrefix,
      Optional<Instant> expiresAt,
      Optional<String> policy,
      ConditionSet.Desired policyCondition,
      ConditionSet.Desired publishedCondition) {}

  /** The phase an outcome shows as. */
  public static LeasePhase phase(Allocation.Outcome outcome) {
    return switch (outcome) {
      case READY -> LeasePhase.Ready;
      case CONFLICT -> LeasePhase.Conflict;
      case EXPIRED -> LeasePhase.Expired;
      case INVALID -> LeasePhase.Invalid;
    };
  }

  /** The whole status for {@code lease}, keeping transition times from its current status. */
  public static PrefixLeaseStatus build(PrefixLease lease, Allocation allocation, Context context, Instant now) {
    PrefixLeaseStatus status = new PrefixLeaseStatus();
    status.setObservedGeneration(lease.getMetadata().getGeneration());
    status.setPhase(phase(allocation.outcome()));
    status.setDelegatedPrefix(context.delegatedPrefix());
    status.setExcludedPrefix(context.excludedPrefix().orElse(null));
    status.setPodCIDRs(allocation.podCidr().map(p -> List.of(p.toString())).orElse(List.of()));
    status.setSubPrefixes(allocation.subPrefixes().stream()
        .map(s -> new NamedPrefix(s.name(), s.prefix().toString())).toList());
    status.setRoutes(allocation.routes().stream().map(LeaseStatuses::route).toList());
    status.setDraining(allocation.draining().stream().map(LeaseStatuses::draining).toList());
    status.setPolicy(context.policy().orElse(null));
    if (allocation.outcome() == Allocation.Outcome.READY) {
      status.setExpiresAt(context.expiresAt().map(Timestamps::format).orElse(null));
    }
    List<ConditionSet.Desired> desired = new ArrayList<>();
    boolean ready = allocation.outcome() == Allocation.Outcome.READY;
    desired.add(new ConditionSet.Desired(Conditions.READY, ready ? Conditions.TRUE : Conditions.FALSE,
        allocation.reason(), allocation.message()));
    desired.add(allocation.outcome() == Allocation.Outcome.CONFLICT
        ? new ConditionSet.Desired(Conditions.CONFLICT, Conditions.TRUE, allocation.reason(), allocation.message())
        : new ConditionSet.Desired(Conditions.CONFLICT, Conditions.FALSE, NO_OVERLAP,
            "no older PrefixLease's prefix overlaps " + context.delegatedPrefix()));
    desired.add(allocation.outcome() == Allocation.Outcome.EXPIRED
        ? new ConditionSet.Desired(Conditions.EXPIRED, Conditions.TRUE, allocation.reason(), allocation.message())
        : new ConditionSet.Desired(Conditions.EXPIRED, Conditions.FALSE, WITHIN_LIFETIME,
            context.expiresAt().map(t -> "valid until " + Timestamps.format(t)).orElse("valid lifetime infinite")));
    desired.add(context.publishedCondition());
    desired.add(context.policyCondition());
    PrefixLeaseStatus previous = lease.getStatus();
    status.setConditions(ConditionSet.merge(previous == null ? null : previous.getConditions(), desired,
        lease.getMetadata().getGeneration(), now));
    return status;
  }

  private static DrainingAllocation draining(Drain drain) {
    DrainingAllocation draining = new DrainingAllocation(drain.delegatedPrefix().toString(),
        drain.podCidr().map(p -> List.of(p.toString())).orElse(List.of()), Timestamps.format(drain.expiresAt()));
    draining.setExcludedPrefix(drain.excludedPrefix().map(Ipv6Prefix::toString).orElse(null));
    return draining;
  }

  private static PlannedRoute route(Route route) {
    return new PlannedRoute(
        route.kind() == Route.Kind.LOCAL ? RouteType.Local : RouteType.Unreachable,
        route.destination().toString(),
        route.kind() == Route.Kind.LOCAL ? Route.LOOPBACK : null,
        route.expiresAt().map(Timestamps::format).orElse(null));
  }
}
