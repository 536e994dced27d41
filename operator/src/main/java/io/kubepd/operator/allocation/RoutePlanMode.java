package io.kubepd.operator.allocation;

/** Which routes a plan holds; mirrors the policy's routeMode without depending on the API classes. */
public enum RoutePlanMode {
  /** Local routes on lo for the pod CIDR and sub-prefixes, and an unreachable route for the delegated prefix. */
  ANY_IP,
  /** Only the unreachable route for the delegated prefix. */
  UNREACHABLE_ONLY,
  /** No routes: something else on the node routes the prefix. */
  NONE
}
