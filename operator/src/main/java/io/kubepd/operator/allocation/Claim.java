package io.kubepd.operator.allocation;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * One lease's claim on its delegated prefix. When claims overlap, the earlier one (by creation time, then name)
 * keeps the prefix.
 */
public record Claim(String lease, Instant createdAt, Ipv6Prefix prefix, Optional<Instant> expiresAt) {
  /** Precedence between overlapping claims: older first, then by lease name, so every replica agrees. */
  public static final Comparator<Claim> PRECEDENCE =
      Comparator.comparing(Claim::createdAt).thenComparing(Claim::lease);

  public Claim {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** Whether this claim wins over {@code other} when they overlap. */
  public boolean precedes(Claim other) {
    return PRECEDENCE.compare(this, other) < 0;
  }

  /** Whether the claimed prefix is still within its valid lifetime at {@code now}. */
  public boolean activeAt(Instant now) {
    return expiresAt.map(now::isBefore).orElse(true);
  }
}
