package io.kubepd.agent.route;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A kernel routing table in memory with the kernel rules the reconciler relies on: one route per table, destination
 * and metric; add refuses an occupied slot; delete matches the protocol. Foreign routes (other protocols) can be
 * planted; every applied change is journaled in order.
 */
final class InMemoryRouteTable implements RouteTable {
  private final Map<KernelRoute.Slot, Held> routes = new LinkedHashMap<>();
  private final List<RouteChange> journal = new ArrayList<>();
  private final Set<Ipv6Cidr> failing = new HashSet<>();

  private record Held(KernelRoute route, int protocol) {}

  /** Plants a route of another protocol (static, boot...). */
  synchronized void addForeign(KernelRoute route, int protocol) {
    routes.put(route.slot(), new Held(route, protocol));
  }

  /** Plants or removes an owned route behind the reconciler's back, as an administrator with ip would. */
  synchronized void addOwned(KernelRoute route) {
    routes.put(route.slot(), new Held(route, KernelRoute.PROTOCOL));
  }

  synchronized void removeByHand(KernelRoute route) {
    routes.remove(route.slot());
  }

  /** Makes every change to {@code destination} fail, as a vanished device would. */
  synchronized void failChangesTo(Ipv6Cidr destination) {
    failing.add(destination);
  }

  synchronized List<KernelRoute> all() {
    return routes.values().stream().map(Held::route).toList();
  }

  synchronized List<RouteChange> journal() {
    return List.copyOf(journal);
  }

  synchronized void clearJournal() {
    journal.clear();
  }

  @Override
  public synchronized List<KernelRoute> owned() {
    return routes.values().stream().filter(h -> h.protocol == KernelRoute.PROTOCOL).map(Held::route).toList();
  }

  @Override
  public synchronized Map<RouteChange, String> apply(List<RouteChange> changes) {
    Map<RouteChange, String> failed = new LinkedHashMap<>();
    for (RouteChange change : changes) {
      KernelRoute route = change.route();
      if (failing.contains(route.destination())) {
        failed.put(change, "Cannot find device");
        continue;
      }
      Held current = routes.get(route.slot());
      switch (change.operation()) {
        case ADD -> {
          if (current != null) {
            failed.put(change, "RTNETLINK answers: File exists");
            continue;
          }
          routes.put(route.slot(), new Held(route, KernelRoute.PROTOCOL));
        }
        case REPLACE -> routes.put(route.slot(), new Held(route, KernelRoute.PROTOCOL));
        case DELETE -> {
          if (current == null || current.protocol != KernelRoute.PROTOCOL || !current.route.kind().equals(route.kind())) {
            continue;
          }
          routes.remove(route.slot());
        }
      }
      journal.add(change);
    }
    return failed;
  }
}
