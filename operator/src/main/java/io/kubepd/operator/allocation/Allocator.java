package io.kubepd.operator.allocation;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
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
  public static final String EXCLUDED_PREFIX_LEAVES_NO_ROOM = "ExcludedPrefixLeavesNoRoom";

  /** Most routes one plan holds (the API bounds status.routes); drains that do not fit are left out. */
  public static final int MAX_ROUTES = 64;
  /** Most draining allocations one plan holds (the API bounds status.draining). */
  public static final int MAX_DRAINING = 16;
  /**
   * Most unreachable routes around one excluded prefix (one per bit it is longer than the delegated prefix): with
   * a pod CIDR and 16 sub-prefixes a plan stays within {@link #MAX_ROUTES}.
   */
  public static final int MAX_EXCLUSION_ROUTES = 32;

  private Allocator() {}

  /** Carves the pod CIDR and sub-prefixes a policy asks for from {@code parent}, or says why it cannot. */
  public static Carving carve(Ipv6Prefix parent, CarvingPolicy policy) {
    return carve(parent, policy, Optional.empty());
  }

  /**
   * Carves the pod CIDR and sub-prefixes a policy asks for from {@code parent} around {@code excluded}, the part the
   * delegating router uses on its link to the node (RFC 6603), or says why it cannot. A prefix whose slot overlaps
   * the excluded prefix moves to the next slot of its length that overlaps neither it nor another carved prefix;
   * the others keep their slots, so an exclusion moves no more than it must.
   */
  public static Carving carve(Ipv6Prefix parent, CarvingPolicy policy, Optional<Ipv6Prefix> excluded) {
    Optional<Carving.Rejected> podProblem = check(parent, "the pod prefix", "podPrefixLength", "subPrefixIndex",
        policy.podPrefixLength(), policy.podIndex());
    if (podProblem.isPresent()) {
      return podProblem.get();
    }
    Ipv6Prefix pod = parent.subPrefix(policy.podPrefixLength(), policy.podIndex());
    boolean podMoves = excluded.filter(pod::overlaps).isPresent();
    List<SubPrefixRequest> requests = policy.subPrefixes();
    // By policy position; null for a sub-prefix that moves off the excluded prefix.
    List<NamedSubPrefix> subs = new ArrayList<>();
    for (SubPrefixRequest request : requests) {
      String what = "sub-prefix " + request.name();
      Optional<Carving.Rejected> problem = check(parent, what, what + "'s prefixLength", what + "'s index",
          request.length(), request.index());
      if (problem.isPresent()) {
        return problem.get();
      }
      NamedSubPrefix sub = new NamedSubPrefix(request.name(), parent.subPrefix(request.length(), request.index()));
      if (excluded.filter(sub.prefix()::overlaps).isPresent()) {
        subs.add(null);
        continue;
      }
      if (!podMoves && sub.prefix().overlaps(pod)) {
        return overlap(sub, "the pod CIDR " + pod);
      }
      for (NamedSubPrefix earlier : subs) {
        if (earlier != null && sub.prefix().overlaps(earlier.prefix())) {
          return overlap(sub, "sub-prefix " + earlier.name() + " " + earlier.prefix());
        }
      }
      subs.add(sub);
    }
    if (excluded.isEmpty()) {
      return new Carving.Carved(pod, subs);
    }
    List<Ipv6Prefix> taken = new ArrayList<>(List.of(excluded.get()));
    subs.stream().filter(Objects::nonNull).map(NamedSubPrefix::prefix).forEach(taken::add);
    if (podMoves) {
      Optional<Ipv6Prefix> moved = nextFree(parent, policy.podPrefixLength(), policy.podIndex(), taken);
      if (moved.isEmpty()) {
        return noRoom(parent, pod, excluded.get(), "the pod prefix", "subPrefixIndex", "podPrefixLength");
      }
      pod = moved.get();
    }
    taken.add(pod);
    for (int i = 0; i < requests.size(); i++) {
      if (subs.get(i) == null) {
        SubPrefixRequest request = requests.get(i);
        Optional<Ipv6Prefix> moved = nextFree(parent, request.length(), request.index(), taken);
        String what = "sub-prefix " + request.name();
        if (moved.isEmpty()) {
          return noRoom(parent, parent.subPrefix(request.length(), request.index()), excluded.get(), what,
              what + "'s index", what + "'s prefixLength");
        }
        subs.set(i, new NamedSubPrefix(request.name(), moved.get()));
        taken.add(moved.get());
      }
    }
    return new Carving.Carved(pod, subs);
  }

  /** The first prefix of {@code length} in {@code parent}, from number {@code index} on, that overlaps no taken one. */
  private static Optional<Ipv6Prefix> nextFree(Ipv6Prefix parent, int length, long index, List<Ipv6Prefix> taken) {
    long candidate = index;
    // Each pass skips past one taken prefix, so this ends after at most taken.size() + 1 passes.
    while (parent.hasSubPrefix(length, candidate)) {
      Ipv6Prefix prefix = parent.subPrefix(length, candidate);
      Optional<Ipv6Prefix> blocker = taken.stream().filter(prefix::overlaps).findFirst();
      if (blocker.isEmpty()) {
        return Optional.of(prefix);
      }
      OptionalLong last = blocker.get().lastIndexIn(parent, length);
      if (last.isEmpty() || last.getAsLong() == Long.MAX_VALUE) {
        return Optional.empty();
      }
      candidate = last.getAsLong() + 1;
    }
    return Optional.empty();
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
    Carving carving = carve(prefix, policy, terms.excludedPrefix());
    if (carving instanceof Carving.Rejected rejected) {
      return Allocation.nothing(Allocation.Outcome.INVALID, rejected.reason(), rejected.message(), terms.expiresAt());
    }
    Carving.Carved carved = (Carving.Carved) carving;
    List<Route> routes = new ArrayList<>(
        routes(carved, prefix, terms.excludedPrefix(), policy.routeMode(), Optional.empty()));
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
      Optional<Carving.Carved> old = carve(term.prefix(), policy, term.excludedPrefix()) instanceof Carving.Carved c
          ? Optional.of(c) : Optional.empty();
      Optional<Instant> until = Optional.of(term.expiresAt());
      List<Route> drainRoutes = old.map(c -> routes(c, term.prefix(), term.excludedPrefix(), policy.routeMode(), until))
          .orElseGet(() -> policy.routeMode() == RoutePlanMode.NONE
              ? List.of() : unreachable(term.prefix(), term.excludedPrefix(), until))
          .stream()
          // A route the new allocation also holds stays without an end.
          .filter(route -> !active.contains(new Route(route.kind(), route.destination(), Optional.empty())))
          .toList();
      if (kept.size() == MAX_DRAINING || routeCount + drainRoutes.size() > MAX_ROUTES) {
        leftOut++;
        continue;
      }
      kept.put(new Drain(term.prefix(), term.excludedPrefix(), old.map(Carving.Carved::podCidr), term.expiresAt()),
          drainRoutes);
      routeCount += drainRoutes.size();
    }
    kept.values().forEach(routes::addAll);
    List<Drain> drains = List.copyOf(kept.keySet());
    Optional<Instant> review = earliest(Stream.concat(
        terms.expiresAt().stream(), drains.stream().map(Drain::expiresAt)));
    String message = readyMessage(prefix, terms.excludedPrefix(), policy, carved, routes, drains);
    if (leftOut > 0) {
      message += "; " + leftOut + " older draining prefix(es) left out: a plan holds at most " + MAX_ROUTES
          + " routes and " + MAX_DRAINING + " drains";
    }
    return new Allocation(Allocation.Outcome.READY, ALLOCATED, message, Optional.of(carved.podCidr()),
        carved.subPrefixes(), routes, drains, review);
  }

  private static List<Route> routes(Carving.Carved carved, Ipv6Prefix delegated, Optional<Ipv6Prefix> excluded,
      RoutePlanMode mode, Optional<Instant> expiresAt) {
    return switch (mode) {
      case ANY_IP -> Stream.concat(
          carved.all().stream().map(p -> Route.local(p, expiresAt)),
          unreachable(delegated, excluded, expiresAt).stream()).toList();
      case UNREACHABLE_ONLY -> unreachable(delegated, excluded, expiresAt);
      case NONE -> List.of();
    };
  }

  /**
   * Unreachable routes for the delegated prefix (RFC 7084 WPD-5) except its excluded prefix: that one is on the
   * uplink's link, where the node must still reach it. An excluded prefix more than {@link #MAX_EXCLUSION_ROUTES}
   * bits longer than the delegated one is widened to fit, leaving a little more of the prefix to the default route.
   */
  private static List<Route> unreachable(Ipv6Prefix delegated, Optional<Ipv6Prefix> excluded,
      Optional<Instant> expiresAt) {
    List<Ipv6Prefix> destinations = excluded
        .map(e -> delegated.without(e.truncateTo(Math.min(e.length(), delegated.length() + MAX_EXCLUSION_ROUTES))))
        .orElse(List.of(delegated));
    return destinations.stream().map(d -> Route.unreachable(d, expiresAt)).toList();
  }

  private static String readyMessage(Ipv6Prefix prefix, Optional<Ipv6Prefix> excluded, CarvingPolicy policy,
      Carving.Carved carved, List<Route> routes, List<Drain> drains) {
    StringBuilder message = new StringBuilder("pod CIDR ").append(carved.podCidr()).append(" is /")
        .append(policy.podPrefixLength()).append(" number ")
        .append(carved.podCidr().lastIndexIn(prefix, policy.podPrefixLength()).orElseThrow()).append(" of ")
        .append(prefix);
    if (excluded.isPresent()) {
      Ipv6Prefix requested = prefix.subPrefix(policy.podPrefixLength(), policy.podIndex());
      if (!requested.equals(carved.podCidr())) {
        message.append(" (number ").append(policy.podIndex()).append(" overlaps ").append(excluded.get())
            .append(", which the DHCPv6 server excluded for its link, RFC 6603)");
      }
    }
    if (!carved.subPrefixes().isEmpty()) {
      message.append(", with ").append(carved.subPrefixes().size()).append(" sub-prefix(es)");
      long moved = movedSubPrefixes(prefix, policy, carved);
      if (moved > 0) {
        message.append(" (").append(moved).append(" moved off ").append(excluded.orElseThrow()).append(")");
      }
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

  private static long movedSubPrefixes(Ipv6Prefix prefix, CarvingPolicy policy, Carving.Carved carved) {
    long moved = 0;
    for (int i = 0; i < policy.subPrefixes().size(); i++) {
      SubPrefixRequest request = policy.subPrefixes().get(i);
      if (!prefix.subPrefix(request.length(), request.index()).equals(carved.subPrefixes().get(i).prefix())) {
        moved++;
      }
    }
    return moved;
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

  private static Carving.Rejected noRoom(Ipv6Prefix parent, Ipv6Prefix requested, Ipv6Prefix excluded, String what,
      String indexField, String lengthField) {
    return new Carving.Rejected(EXCLUDED_PREFIX_LEAVES_NO_ROOM,
        what + " " + requested + " overlaps " + excluded + ", which the DHCPv6 server excluded for its link (RFC "
            + "6603), and no later /" + requested.length() + " of " + parent + " is free: set " + indexField
            + " lower or " + lengthField + " longer");
  }

  private static Carving.Rejected overlap(NamedSubPrefix sub, String other) {
    return new Carving.Rejected(SUB_PREFIXES_OVERLAP,
        "sub-prefix " + sub.name() + " " + sub.prefix() + " overlaps " + other + ": give it another index or length");
  }

  private static Optional<Instant> earliest(Stream<Instant> instants) {
    return instants.min(Comparator.naturalOrder());
  }
}
