package io.kubepd.crd.v1alpha1;

/** Summary of what the operator decided for a PrefixLease; the conditions carry the detail. */
public enum LeasePhase {
  /** Not yet reconciled, or the lease has no prefix yet. */
  Pending,
  /** Pod CIDRs allocated and a route plan published. */
  Ready,
  /** The prefix overlaps another lease's; no route plan until the overlap goes away. */
  Conflict,
  /** The valid lifetime ended without renewal; the route plan is empty. */
  Expired,
  /** The policy cannot be applied to this prefix (e.g. pod prefix shorter than the delegated prefix). */
  Invalid
}
