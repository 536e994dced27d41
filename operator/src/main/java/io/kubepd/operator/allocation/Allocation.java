package io.kubepd.operator.allocation;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the operator decides for one lease at one instant: the outcome with a reason and a message for users, the
 * carved prefixes, the route plan, the draining allocations, and when the decision must be reviewed (the next
 * lifetime end).
 */
public record Allocation(
    Outcome outcome,
    String reason,
    String message,
    Optional<Ipv6Prefix> podCidr,
    List<NamedSubPrefix> subPrefixes,
    List<Route> routes,
    List<Drain> draining,
    Optional<Instant> reviewAt) {

  /** Summary of the decision; maps onto the lease phase. */
  public enum Outcome {
    /** Pod CIDR carved and routes planned. */
    READY,
    /** The prefix overlaps an earlier lease's; nothing planned. */
    CONFLICT,
    /** The prefix is no longer the node's (lifetime ended or released); nothing planned. */
    EXPIRED,
    /** The policy cannot be applied to the prefix, or the prefix is malformed; nothing planned. */
    INVALID
  }

  public Allocation {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(podCidr, "podCidr");
    subPrefixes = List.copyOf(subPrefixes);
    routes = List.copyOf(routes);
    draining = List.copyOf(draining);
    Objects.requireNonNull(reviewAt, "reviewAt");
  }

  /** A decision with nothing allocated. */
  public static Allocation nothing(Outcome outcome, String reason, String message, Optional<Instant> reviewAt) {
    return new Allocation(outcome, reason, message, Optional.empty(), List.of(), List.of(), List.of(), reviewAt);
  }
}
