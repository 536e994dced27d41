package io.kubepd.agent.route;

import io.kubepd.crd.v1alpha1.PlannedRoute;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The routes the node should hold, as the operator planned them in {@code PrefixLease.status.routes}: routes of the
 * current prefix, and routes of a draining prefix that stay until their {@code expiresAt}.
 *
 * @param routes the valid planned routes, in plan order
 * @param rejected planned routes the agent refuses to program, each with the reason
 */
public record RoutePlan(List<Entry> routes, List<RouteFailure> rejected) {
  /**
   * The shortest destination kubepd programs. Delegated prefixes are /64 or longer in practice and rarely shorter than
   * /48; a much shorter local or unreachable route (say {@code ::/0}) would cut the node off, so it is refused.
   */
  public static final int MIN_PREFIX_LENGTH = 16;

  public RoutePlan {
    routes = List.copyOf(routes);
    rejected = List.copyOf(rejected);
  }

  /** No routes: what the agent applies when its lease ends, to withdraw every kubepd route. */
  public static RoutePlan empty() {
    return new RoutePlan(List.of(), List.of());
  }

  /** A plan of routes that never expire. */
  public static RoutePlan of(KernelRoute... routes) {
    return new RoutePlan(List.of(routes).stream().map(r -> new Entry(r, null)).toList(), List.of());
  }

  /** Translates the operator's plan; invalid entries land in {@link #rejected()} instead of failing the whole plan. */
  public static RoutePlan fromStatus(List<PlannedRoute> planned) {
    List<Entry> routes = new ArrayList<>();
    List<RouteFailure> rejected = new ArrayList<>();
    for (PlannedRoute p : planned == null ? List.<PlannedRoute>of() : planned) {
      try {
        routes.add(entry(p));
      } catch (IllegalArgumentException e) {
        rejected.add(new RouteFailure("planned route " + p, e.getMessage()));
      }
    }
    return new RoutePlan(routes, rejected);
  }

  private static Entry entry(PlannedRoute planned) {
    if (planned.getType() == null || planned.getDestination() == null) {
      throw new IllegalArgumentException("type and destination are required");
    }
    Ipv6Cidr destination = Ipv6Cidr.parse(planned.getDestination());
    if (destination.length() < MIN_PREFIX_LENGTH) {
      throw new IllegalArgumentException("refusing a route for " + destination + ": shorter than /"
          + MIN_PREFIX_LENGTH + ", it is no delegated prefix and would cut the node off");
    }
    KernelRoute route = switch (planned.getType()) {
      case Local -> KernelRoute.local(destination,
          planned.getDevice() == null || planned.getDevice().isEmpty() ? KernelRoute.LOOPBACK : planned.getDevice());
      case Unreachable -> KernelRoute.unreachable(destination);
    };
    return new Entry(route, expiry(planned.getExpiresAt()));
  }

  private static Instant expiry(String expiresAt) {
    if (expiresAt == null || expiresAt.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(expiresAt).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("expiresAt '" + expiresAt + "' is not an RFC 3339 time", e);
    }
  }

  /** The routes still wanted at {@code now}: those without expiry and those expiring later. */
  public List<KernelRoute> activeAt(Instant now) {
    return routes.stream().filter(e -> e.activeAt(now)).map(Entry::route).toList();
  }

  /** How many routes have expired by {@code now}. */
  public int expiredAt(Instant now) {
    return (int) routes.stream().filter(e -> !e.activeAt(now)).count();
  }

  /** The earliest expiry still ahead of {@code now}: when the plan next changes by itself. */
  public Optional<Instant> nextExpiryAfter(Instant now) {
    return routes.stream().map(Entry::expiresAt)
        .filter(t -> t != null && t.isAfter(now))
        .min(Comparator.naturalOrder());
  }

  /**
   * One planned route.
   *
   * @param expiresAt when a draining route goes; {@code null} for routes of the current prefix
   */
  public record Entry(KernelRoute route, Instant expiresAt) {
    /** True until {@code expiresAt}; at that instant the route is gone. */
    public boolean activeAt(Instant now) {
      return expiresAt == null || now.isBefore(expiresAt);
    }
  }
}
