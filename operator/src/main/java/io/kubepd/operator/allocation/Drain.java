package io.kubepd.operator.allocation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The allocation of a draining prefix: what was carved from it around its excluded prefix, kept until
 * {@code expiresAt}.
 */
public record Drain(
    Ipv6Prefix delegatedPrefix, Optional<Ipv6Prefix> excludedPrefix, Optional<Ipv6Prefix> podCidr, Instant expiresAt) {
  public Drain {
    Objects.requireNonNull(delegatedPrefix, "delegatedPrefix");
    Objects.requireNonNull(excludedPrefix, "excludedPrefix");
    Objects.requireNonNull(podCidr, "podCidr");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
