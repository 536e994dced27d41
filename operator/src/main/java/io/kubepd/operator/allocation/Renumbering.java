package io.kubepd.operator.allocation;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Which replaced prefixes still drain after a renumbering, from what the agent reports and what was published. */
public final class Renumbering {
  /**
   * How long a replaced prefix drains when nobody knows its valid lifetime (it was infinite and the agent did not
   * report it). Two hours, after RFC 4862 section 5.5.3 (e): the shortest remaining valid lifetime a router
   * advertisement may impose on an address in use.
   */
  public static final Duration UNKNOWN_LIFETIME_DRAIN = Duration.ofHours(2);

  private Renumbering() {}

  /**
   * The prefixes that drain at {@code now}: those the agent reports (it knows their lifetimes, so its word wins),
   * then those already draining in the published status, then the previously published prefix if it was replaced
   * without a report, draining until its known end or for {@link #UNKNOWN_LIFETIME_DRAIN}. Each keeps the excluded
   * prefix the published status knew for it. The current prefix and ended drains are left out.
   *
   * @param previousPrefix the prefix of the previously published allocation, if any
   * @param previousExcluded the prefix excluded from it, as published
   * @param previousExpiresAt the end of its valid lifetime as published (empty: infinite or unknown)
   */
  public static List<DrainingTerm> drainingTerms(
      Ipv6Prefix current,
      List<DrainingTerm> reported,
      List<DrainingTerm> previouslyDraining,
      Optional<Ipv6Prefix> previousPrefix,
      Optional<Ipv6Prefix> previousExcluded,
      Optional<Instant> previousExpiresAt,
      Instant now) {
    Map<Ipv6Prefix, Instant> drains = new TreeMap<>();
    Map<Ipv6Prefix, Ipv6Prefix> excluded = new HashMap<>();
    reported.forEach(term -> drains.put(term.prefix(), term.expiresAt()));
    previouslyDraining.forEach(term -> {
      drains.putIfAbsent(term.prefix(), term.expiresAt());
      term.excludedPrefix().ifPresent(e -> excluded.put(term.prefix(), e));
    });
    previousPrefix.filter(p -> !p.equals(current)).ifPresent(p -> {
      drains.putIfAbsent(p, previousExpiresAt.orElse(now.plus(UNKNOWN_LIFETIME_DRAIN)));
      previousExcluded.ifPresent(e -> excluded.putIfAbsent(p, e));
    });
    drains.remove(current);
    return drains.entrySet().stream()
        .filter(e -> now.isBefore(e.getValue()))
        .map(e -> new DrainingTerm(e.getKey(), e.getValue(), Optional.ofNullable(excluded.get(e.getKey()))))
        .toList();
  }
}
