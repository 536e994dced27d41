package io.kubepd.crd.v1alpha1;

/** Schema constraints shared by the resources, so each rule is written once. */
final class Validation {
  /** Lowercase hex octets without separators, as DUIDs are shown. */
  static final String HEX = "^([0-9a-f]{2})+$";

  /** The DHCPv6 value for an infinite lifetime or timer (RFC 8415 section 7.7). */
  static final double INFINITY = 4294967295.0;

  /** Longest IPv6 CIDR text ("ffff:...:ffff/128"); bounds CEL's cost estimate. */
  static final long CIDR_MAX_LENGTH = 43;

  /** An IPv6 network in canonical form: no host bits set. Uses the Kubernetes CEL CIDR library. */
  static final String IPV6_CIDR_RULE =
      "isCIDR(self) && cidr(self).ip().family() == 6 && cidr(self) == cidr(self).masked()";

  static final String IPV6_CIDR_MESSAGE =
      "must be an IPv6 prefix in CIDR notation with no host bits set, e.g. 2001:db8:0:100::/56";

  private Validation() {}
}
