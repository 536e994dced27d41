package io.kubepd.operator.allocation;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Decides a lease's allocation as a pure function of its terms, its policy, the claims that beat it, and the time:
 * a restarted operator or a standby computes the same answer from the same inputs.
 */
public final class Allocator {
  /** Condition reasons, one per way a decision can go. */
  public static final String ALLOCATED = "Allocated";
  public static final String PREFIX_OVERLAP = "PrefixOverlap";
  public static final String RELEASED = "Released";
  public static final String VALID_LIFETIME_ENDED = "ValidLifetimeEnded";
  public static final String PREFIX_LENGTH_TOO_SHORT = "PrefixLengthTooShort";
  public static final String INDEX_OUT_OF_RANGE = "IndexOutOfRange";
  public static final String LENGTH_OUT_OF_RANGE = "LengthOutOfRange";
  public static final String SUB_PREFIXES_OVERLAP = "SubPrefixesOverlap";

  /** Most routes one plan holds (the API bounds status.routes); drains that do not fit are left out. */
  public static final int MAX_ROUTES = 64;
  /** Most draining allocations one plan holds (the API bounds status.draining). */
  public static final int MAX_DRAINING = 16;

  private Allocator() {}

  /** Carves the pod CIDR and sub-prefixes a policy asks for from {@code parent}, or says why it cannot. */
  public static Carving carve(Ipv6Prefix parent, CarvingPolicy policy) {
    Optional<Carving.Rejected> podProblem = check(parent, "the pod prefix", "podPrefixLength", "subPrefixIndex",
        policy.podPrefixLength(), policy.podIndex());
    if (podProblem.isPresent()) {
      return podProblem.get();
    }
    Ipv6Prefix pod = parent.subPrefix(policy.podPrefixLength(), policy.podIndex());
    List<NamedSubPrefix> subs = new ArrayList<>();
    for (SubPrefixRequest request : policy.subPrefixes()) {
      String what = "sub-prefix " + request.name();
      Optional<Carving.Rejected> problem = check(parent, what, what + "'s prefixLength", what + "'s index",
          request.length(), request.index());
      if (problem.isPresent()) {
        return problem.get();
      }
      NamedSubPrefix sub = new NamedSubPrefix(request.name(), parent.subPrefix(request.length(), request.index()));
      if (sub.prefix().overlaps(pod)) {
        return overlap(sub, "the pod CIDR " + pod);
      }
      for (NamedSubPrefix earlier : subs) {
        if (sub.prefix().overlaps(earlier.prefix())) {
          return overlap(sub, "sub-prefix " + earlier.name() + " " + earlier.prefix());
        }
      }
      subs.add(sub);
    }
    return new Carving.Carved(pod, subs);
  }

  /** The allocation for a lease at {@code now}; {@code earlierClaims} are the active claims that beat its own. */
  public static Allocation allocate(LeaseTerms terms, CarvingPolicy policy, List<Claim> earlierClaims, Instant now) {
    Ipv6Prefix prefix = terms.delegatedPrefix();
    if (terms.clientState() == LeaseTerms.ClientState.RELEASED) {
      return Allocation.nothing(Allocation.Outcome.EXPIRED, RELEASED,
          "the DHCPv6 client released " + prefix + "; no routes are planned", Optional.empty());
    }
    if (!terms.activeAt(now)) {
      String when = terms.expiresAt().map(t -> " at " + t).orElse("");
      return Allocation.nothing(Allocation.Outcome.EXPIRED, VALID_LIFETIME_ENDED,
          "the valid lifetime of " + prefix + " ended" + when + " without renewal; no routes are planned until the "
              + "DHCPv6 client renews it", Optional.empty());
    }
    if (!earlierClaims.isEmpty()) {
      Claim winner = earlierClaims.get(0);
      Optional<Instant> review = earliest(Stream.concat(
          terms.expiresAt().stream(), earlierClaims.stream().flatMap(c -> c.expiresAt().stream())));
      return Allocation.nothing(Allocation.Outcome.CONFLICT, PREFIX_OVERLAP,
          prefix + " overlaps " + winner.prefix() + " of PrefixLease " + winner.lease() + ", which is older"
              + (earlierClaims.size() > 1 ? " (and " + (earlierClaims.size() - 1) + " more)" : "")
              + "; this lease gets no pod CIDR or routes until the overlap ends: check the DHCPv6 server's "
              + "delegations", review);
    }
    Carving carving = carve(prefix, policy);
    if (carving instanceof Carving.Rejected rejected) {
      return Allocation.nothing(Allocation.Outcome.INVALID, rejected.reason(), rejected.message(), terms.expiresAt());
    }
    Carving.Carved carved = (Carving.Carved) carving;
    List<Route> routes = new ArrayList<>(routes(carved, prefix, policy.routeMode(), Optional.empty()));
    Set<Route> active = new HashSet<>(routes);
    // The latest drains are kept when the plan is full: they carry the traffic of the most recent renumbering.
    List<DrainingTerm> draining = terms.draining().stream()
        .filter(term -> now.isBefore(term.expiresAt()) && !term.prefix().equals(prefix))
        .sorted(Comparator.comparing(DrainingTerm::expiresAt).reversed().thenComparing(DrainingTerm::prefix))
        .toList();
    Map<Drain, List<Route>> kept = new TreeMap<>(Comparator.comparing(Drain::delegatedPrefix));
    int routeCount = routes.size();
    int leftOut = 0;
    for (DrainingTerm term : draining) {
      Optional<Carving.Carved> old = carve(term.prefix(), policy) instanceof Carving.Carved c
          ? Optional.of(c) : Optional.empty();
      Optional<Instant> until = Optional.of(term.expiresAt());
      List<Route> drainRoutes = old.map(c -> routes(c, term.prefix(), policy.routeMode(), until))
          .orElseGet(() -> policy.routeMode() == RoutePlanMode.NONE
              ? List.of() : List.of(Route.unreachable(term.prefix(), until)))
          .stream()
          // A route the new allocation also holds stays without an end.
          .filter(route -> !active.contains(new Route(route.kind(), route.destination(), Optional.empty())))
          .toList();
      if (kept.size() == MAX_DRAINING || routeCount + drainRoutes.size() > MAX_ROUTES) {
        leftOut++;
        continue;
      }
      kept.put(new Drain(term.prefix(), old.map(Carving.Carved::podCidr), term.expiresAt()), drainRoutes);
      routeCount += drainRoutes.size();
    }
    kept.values().forEach(routes::addAll);
    List<Drain> drains = List.copyOf(kept.keySet());
    Optional<Instant> review = earliest(Stream.concat(
        terms.expiresAt().stream(), drains.stream().map(Drain::expiresAt)));
    String message = readyMessage(prefix, policy, carved, routes, drains);
    if (leftOut > 0) {
      message += "; " + leftOut + " older draining prefix(es) left out: a plan holds at most " + MAX_ROUTES
          + " routes and " + MAX_DRAINING + " drains";
    }
    return new Allocation(Allocation.Outcome.READY, ALLOCATED, message, Optional.of(carved.podCidr()),
        carved.subPrefixes(), routes, drains, review);
  }

  private static List<Route> routes(
      Carving.Carved carved, Ipv6Prefix delegated, RoutePlanMode mode, Optional<Instant> expiresAt) {
    return switch (mode) {
      case ANY_IP -> Stream.concat(
          carved.all().stream().map(p -> Route.local(p, expiresAt)),
          Stream.of(Route.unreachable(delegated, expiresAt))).toList();
      case UNREACHABLE_ONLY -> List.of(Route.unreachable(delegated, expiresAt));
      case NONE -> List.of();
    };
  }

  private static String readyMessage(
      Ipv6Prefix prefix, CarvingPolicy policy, Carving.Carved carved, List<Route> routes, List<Drain> drains) {
    StringBuilder message = new StringBuilder("pod CIDR ").append(carved.podCidr()).append(" is /")
        .append(policy.podPrefixLength()).append(" number ").append(policy.podIndex()).append(" of ").append(prefix);
    if (!carved.subPrefixes().isEmpty()) {
      message.append(", with ").append(carved.subPrefixes().size()).append(" sub-prefix(es)");
    }
    message.append("; ").append(routes.size()).append(" route(s) planned");
    if (!drains.isEmpty()) {
      message.append(", ").append(drains.size()).append(" renumbered prefix(es) draining");
    }
    if (!carved.podCidr().isNibbleAligned()) {
      message.append(". Note: it is not on a nibble boundary, so its reverse DNS can only be delegated as part of ")
          .append(carved.podCidr().toNibbleBoundary());
    }
    return message.toString();
  }

  private static Optional<Carving.Rejected> check(
      Ipv6Prefix parent, String what, String lengthField, String indexField, int length, long index) {
    if (length < 0 || length > 128) {
      return Optional.of(new Carving.Rejected(LENGTH_OUT_OF_RANGE,
          what + " length /" + length + " is not an IPv6 prefix length: set " + lengthField + " between "
              + parent.length() + " and 128"));
    }
    if (length < parent.length()) {
      return Optional.of(new Carving.Rejected(PREFIX_LENGTH_TOO_SHORT,
          what + " /" + length + " is larger than the delegated prefix " + parent + ": set " + lengthField + " to "
              + parent.length() + " or more, or ask the DHCPv6 server for a larger prefix"));
    }
    if (!parent.hasSubPrefix(length, index)) {
      return Optional.of(new Carving.Rejected(INDEX_OUT_OF_RANGE,
          indexField + " " + index + " is out of range: " + parent + " holds " + parent.subPrefixCount(length)
              + " /" + length + " prefixes (indexes 0 to " + parent.subPrefixCount(length).subtract(BigInteger.ONE)
              + ")"));
    }
    return Optional.empty();
  }

  private static Carving.Rejected overlap(NamedSubPrefix sub, String other) {
    return new Carving.Rejected(SUB_PREFIXES_OVERLAP,
        "sub-prefix " + sub.name() + " " + sub.prefix() + " overlaps " + other + ": give it another index or length");
  }

  private static Optional<Instant> earliest(Stream<Instant> instants) {
    return instants.min(Comparator.naturalOrder());
  }
}
