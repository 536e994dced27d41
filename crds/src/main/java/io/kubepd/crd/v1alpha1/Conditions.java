package io.kubepd.crd.v1alpha1;

/** Condition types and reasons used in kubepd statuses, so agent, operator and users agree on the words. */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String CONFLICT = "Conflict";
  public static final String EXPIRED = "Expired";
  public static final String POD_CIDR_PUBLISHED = "PodCIDRPublished";
  public static final String VALID = "Valid";
  /** Which DelegationPolicy applies to a lease's node, or that none does and the defaults apply. */
  public static final String POLICY_SELECTED = "PolicySelected";

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private Conditions() {}
}
