package io.kubepd.operator.allocation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * All leases' claims, indexed so that the claims overlapping a prefix are found without scanning: ancestors by
 * exact lookup (at most 129), descendants by a range of the ordered map. Thread-safe.
 */
public final class PrefixClaims {
  private final Map<String, Claim> byLease = new HashMap<>();
  private final TreeMap<Ipv6Prefix, Map<String, Claim>> byPrefix = new TreeMap<>();

  /** Records or replaces a lease's claim; returns the one it replaced. */
  public synchronized Optional<Claim> put(Claim claim) {
    Optional<Claim> previous = remove(claim.lease());
    byLease.put(claim.lease(), claim);
    byPrefix.computeIfAbsent(claim.prefix(), p -> new LinkedHashMap<>()).put(claim.lease(), claim);
    return previous;
  }

  /** Forgets a lease's claim; returns it. */
  public synchronized Optional<Claim> remove(String lease) {
    Claim previous = byLease.remove(lease);
    if (previous == null) {
      return Optional.empty();
    }
    Map<String, Claim> same = byPrefix.get(previous.prefix());
    same.remove(lease);
    if (same.isEmpty()) {
      byPrefix.remove(previous.prefix());
    }
    return Optional.of(previous);
  }

  /** Every claim whose prefix overlaps {@code prefix}, whatever its lifetime. */
  public synchronized List<Claim> overlapping(Ipv6Prefix prefix) {
    List<Claim> found = new ArrayList<>();
    for (int length = 0; length < prefix.length(); length++) {
      Map<String, Claim> ancestors = byPrefix.get(prefix.truncateTo(length));
      if (ancestors != null) {
        found.addAll(ancestors.values());
      }
    }
    // Every prefix inside this one sorts between it and its last address as a /128.
    for (Map<String, Claim> inside : byPrefix.subMap(prefix, true, prefix.lastAddress(), true).values()) {
      found.addAll(inside.values());
    }
    return found;
  }

  /** The active claims that overlap {@code claim} and win over it: non-empty means {@code claim} is in conflict. */
  public List<Claim> earlierOverlapping(Claim claim, Instant now) {
    return overlapping(claim.prefix()).stream()
        .filter(other -> !other.lease().equals(claim.lease()) && other.precedes(claim) && other.activeAt(now))
        .sorted(Claim.PRECEDENCE)
        .toList();
  }

  /** Number of claims recorded. */
  public synchronized int size() {
    return byLease.size();
  }
}
