package io.kubepd.operator.allocation;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a lease holds, as far as allocation cares: the delegated prefix and the part of it the delegating router
 * excluded (RFC 6603), whether the client still holds it, when its valid lifetime ends (empty: infinite), and the
 * prefixes that drain after a renumbering.
 */
public record LeaseTerms(
    Ipv6Prefix delegatedPrefix,
    Optional<Ipv6Prefix> excludedPrefix,
    ClientState clientState,
    Optional<Instant> expiresAt,
    List<DrainingTerm> draining) {

  /** What the DHCPv6 client reports about the prefix. */
  public enum ClientState {
    /** Bound, renewing or rebinding, or still asking: the prefix is in use until it expires. */
    HOLDING,
    /** The client sent Release (RFC 8415 section 18.2.7): the prefix is no longer the node's. */
    RELEASED,
    /** The client saw the valid lifetime end. */
    EXPIRED
  }

  public LeaseTerms {
    Objects.requireNonNull(delegatedPrefix, "delegatedPrefix");
    DrainingTerm.checkExcluded(delegatedPrefix, excludedPrefix);
    Objects.requireNonNull(clientState, "clientState");
    Objects.requireNonNull(expiresAt, "expiresAt");
    draining = List.copyOf(draining);
  }

  /** Whether the prefix is the node's at {@code now}: held by the client and within its valid lifetime. */
  public boolean activeAt(Instant now) {
    return clientState == ClientState.HOLDING && expiresAt.map(now::isBefore).orElse(true);
  }
}
