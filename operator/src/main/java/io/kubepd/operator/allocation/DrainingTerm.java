package io.kubepd.operator.allocation;

import java.time.Instant;
import java.util.Objects;

/** A prefix replaced by renumbering and the end of its valid lifetime. */
public record DrainingTerm(Ipv6Prefix prefix, Instant expiresAt) {
  public DrainingTerm {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
