package io.kubepd.agent.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes that turn the owned routes into the desired ones, ordered make-before-break: every add and replace comes
 * before any delete, so a prefix moving to a new route is never without one.
 *
 * @param changes adds and replaces in plan order, then deletes, most specific destination first
 * @param unchanged desired routes already in place
 * @param conflicts desired routes dropped because an earlier desired route claims the same kernel slot
 */
public record RouteDiff(List<RouteChange> changes, int unchanged, List<RouteFailure> conflicts) {

  // Deleting the covering unreachable route last means no address of a withdrawn prefix is looped upstream meanwhile.
  private static final Comparator<KernelRoute> MOST_SPECIFIC_FIRST =
      Comparator.comparingInt((KernelRoute r) -> -r.destination().length());

  /** Computes the diff; {@code owned} must hold only routes of kubepd's protocol. */
  public static RouteDiff between(List<KernelRoute> desired, List<KernelRoute> owned) {
    Map<KernelRoute.Slot, KernelRoute> wanted = new LinkedHashMap<>();
    List<RouteFailure> conflicts = new ArrayList<>();
    for (KernelRoute route : desired) {
      KernelRoute first = wanted.putIfAbsent(route.slot(), route);
      if (first != null && !first.equals(route)) {
        conflicts.add(new RouteFailure(route.toString(),
            "conflicts with " + first + " (the kernel holds one route per table, destination and metric); kept that one"));
      }
    }
    Map<KernelRoute.Slot, KernelRoute> present = new LinkedHashMap<>();
    owned.forEach(r -> present.putIfAbsent(r.slot(), r));

    List<RouteChange> changes = new ArrayList<>();
    int unchanged = 0;
    for (KernelRoute route : wanted.values()) {
      KernelRoute current = present.get(route.slot());
      if (current == null) {
        changes.add(RouteChange.add(route));
      } else if (current.equals(route)) {
        unchanged++;
      } else {
        changes.add(RouteChange.replace(route));
      }
    }
    owned.stream()
        .filter(r -> !wanted.containsKey(r.slot()))
        .distinct()
        .sorted(MOST_SPECIFIC_FIRST)
        .forEach(r -> changes.add(RouteChange.delete(r)));
    return new RouteDiff(List.copyOf(changes), unchanged, List.copyOf(conflicts));
  }
}
