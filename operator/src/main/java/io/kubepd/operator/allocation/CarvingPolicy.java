package io.kubepd.operator.allocation;

import java.util.List;
import java.util.Objects;

/** How to carve a delegated prefix: the pod CIDR's length and index, further sub-prefixes, and the route mode. */
public record CarvingPolicy(
    int podPrefixLength, long podIndex, List<SubPrefixRequest> subPrefixes, RoutePlanMode routeMode) {

  /** What applies when no policy selects a node: the first /64 as pod CIDR, AnyIP routes. */
  public static final CarvingPolicy DEFAULT = new CarvingPolicy(64, 0, List.of(), RoutePlanMode.ANY_IP);

  public CarvingPolicy {
    subPrefixes = List.copyOf(subPrefixes);
    Objects.requireNonNull(routeMode, "routeMode");
  }
}
