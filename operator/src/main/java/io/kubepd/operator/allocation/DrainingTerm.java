package io.kubepd.operator.allocation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A prefix replaced by renumbering, the end of its valid lifetime, and the part of it that was excluded. */
public record DrainingTerm(Ipv6Prefix prefix, Instant expiresAt, Optional<Ipv6Prefix> excludedPrefix) {
  public DrainingTerm {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(expiresAt, "expiresAt");
    checkExcluded(prefix, excludedPrefix);
  }

  /** A draining prefix with nothing known to be excluded, as the agent reports them. */
  public DrainingTerm(Ipv6Prefix prefix, Instant expiresAt) {
    this(prefix, expiresAt, Optional.empty());
  }

  /** RFC 6603 section 4.2: an excluded prefix is a longer prefix inside the delegated one. */
  static void checkExcluded(Ipv6Prefix delegated, Optional<Ipv6Prefix> excluded) {
    Objects.requireNonNull(excluded, "excludedPrefix");
    if (excluded.filter(e -> !delegated.contains(e) || e.length() == delegated.length()).isPresent()) {
      throw new IllegalArgumentException(
          "excluded prefix " + excluded.get() + " is not a longer prefix inside " + delegated);
    }
  }
}
