package io.kubepd.operator.allocation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One route of a plan; {@code expiresAt} is set on routes of a draining prefix. */
public record Route(Kind kind, Ipv6Prefix destination, Optional<Instant> expiresAt) {
  /** The device local (AnyIP) routes are added on. */
  public static final String LOOPBACK = "lo";

  /** Kinds of route the agent programs. */
  public enum Kind {
    /** {@code ip -6 route add local <prefix> dev lo}: the node answers on every address of the prefix. */
    LOCAL,
    /** {@code ip -6 route add unreachable <prefix>}: unused parts of the prefix are not looped upstream. */
    UNREACHABLE
  }

  public Route {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  static Route local(Ipv6Prefix destination, Optional<Instant> expiresAt) {
    return new Route(Kind.LOCAL, destination, expiresAt);
  }

  static Route unreachable(Ipv6Prefix destination, Optional<Instant> expiresAt) {
    return new Route(Kind.UNREACHABLE, destination, expiresAt);
  }
}
