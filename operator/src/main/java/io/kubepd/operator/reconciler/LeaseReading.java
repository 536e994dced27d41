package io.kubepd.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubepd.crd.v1alpha1.DeprecatedPrefix;
import io.kubepd.crd.v1alpha1.DrainingAllocation;
import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.crd.v1alpha1.PrefixLeaseSpec;
import io.kubepd.crd.v1alpha1.PrefixLeaseStatus;
import io.kubepd.operator.allocation.Claim;
import io.kubepd.operator.allocation.DrainingTerm;
import io.kubepd.operator.allocation.InvalidPrefixException;
import io.kubepd.operator.allocation.Ipv6Prefix;
import io.kubepd.operator.allocation.LeaseTerms;
import io.kubepd.operator.allocation.Renumbering;
import io.kubepd.operator.status.Timestamps;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a PrefixLease (spec, and the previously published status) into the allocator's terms. */
public final class LeaseReading {
  /** Condition reasons for leases the operator cannot read. */
  public static final String INVALID_PREFIX = "InvalidPrefix";
  public static final String INVALID_TIME = "InvalidTime";

  private static final Logger log = LoggerFactory.getLogger(LeaseReading.class);

  private LeaseReading() {}

  /** A lease read into terms, or why it could not be. */
  public sealed interface Reading {
    /** The terms to allocate from. */
    record Terms(LeaseTerms terms) implements Reading {}

    /** The spec holds something the schema should have refused; {@code message} says what to fix. */
    record Unreadable(String reason, String message) implements Reading {}
  }

  /** Reads the terms of a lease at {@code now}, draining included. */
  public static Reading read(PrefixLease lease, Instant now) {
    PrefixLeaseSpec spec = lease.getSpec();
    Ipv6Prefix prefix;
    try {
      prefix = Ipv6Prefix.parse(spec.getDelegatedPrefix());
    } catch (InvalidPrefixException e) {
      return new Reading.Unreadable(INVALID_PREFIX, "spec.delegatedPrefix " + e.getMessage());
    }
    Optional<Ipv6Prefix> excluded = Optional.empty();
    if (spec.getExcludedPrefix() != null) {
      try {
        excluded = Optional.of(Ipv6Prefix.parse(spec.getExcludedPrefix()));
      } catch (InvalidPrefixException e) {
        return new Reading.Unreadable(INVALID_PREFIX, "spec.excludedPrefix " + e.getMessage());
      }
      if (!prefix.contains(excluded.get()) || excluded.get().length() == prefix.length()) {
        return new Reading.Unreadable(INVALID_PREFIX, "spec.excludedPrefix " + excluded.get()
            + " is not a longer prefix inside spec.delegatedPrefix " + prefix + " (RFC 6603)");
      }
    }
    Optional<Instant> expiresAt;
    try {
      expiresAt = Timestamps.parse(spec.getExpiresAt());
    } catch (DateTimeParseException e) {
      return new Reading.Unreadable(INVALID_TIME, "spec.expiresAt \"" + spec.getExpiresAt()
          + "\" is not an RFC 3339 time such as 2026-01-01T00:00:00Z");
    }
    List<DrainingTerm> reported = new ArrayList<>();
    if (spec.getDeprecatedPrefixes() != null) {
      for (DeprecatedPrefix deprecated : spec.getDeprecatedPrefixes()) {
        term(lease, deprecated.getPrefix(), deprecated.getExpiresAt()).ifPresent(reported::add);
      }
    }
    PrefixLeaseStatus status = lease.getStatus();
    List<DrainingTerm> published = new ArrayList<>();
    Optional<Ipv6Prefix> previousPrefix = Optional.empty();
    Optional<Ipv6Prefix> previousExcluded = Optional.empty();
    Optional<Instant> previousEnd = Optional.empty();
    if (status != null) {
      if (status.getDraining() != null) {
        for (DrainingAllocation drain : status.getDraining()) {
          term(lease, drain.getDelegatedPrefix(), drain.getExpiresAt())
              .map(t -> new DrainingTerm(t.prefix(), t.expiresAt(),
                  excludedFrom(lease, t.prefix(), drain.getExcludedPrefix())))
              .ifPresent(published::add);
        }
      }
      // Only an allocation that was Ready had routes on the node, so only it needs to drain.
      if (status.getPhase() == LeasePhase.Ready && status.getDelegatedPrefix() != null) {
        try {
          previousPrefix = Optional.of(Ipv6Prefix.parse(status.getDelegatedPrefix()));
          previousEnd = Timestamps.parse(status.getExpiresAt());
          previousExcluded = excludedFrom(lease, previousPrefix.get(), status.getExcludedPrefix());
        } catch (InvalidPrefixException | DateTimeParseException e) {
          log.warn("ignoring unreadable status lease={} error={}", name(lease), e.getMessage());
        }
      }
    }
    List<DrainingTerm> draining = Renumbering.drainingTerms(
        prefix, reported, published, previousPrefix, previousExcluded, previousEnd, now);
    return new Reading.Terms(new LeaseTerms(prefix, excluded, clientState(spec), expiresAt, draining));
  }

  /** The lease's claim on its prefix, unless the client gave it up or the spec is unreadable. */
  public static Optional<Claim> claim(PrefixLease lease) {
    PrefixLeaseSpec spec = lease.getSpec();
    if (spec == null || clientState(spec) != LeaseTerms.ClientState.HOLDING) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Claim(name(lease), createdAt(lease), Ipv6Prefix.parse(spec.getDelegatedPrefix()),
          Timestamps.parse(spec.getExpiresAt())));
    } catch (InvalidPrefixException | DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** When the object was created; objects not yet stored sort last. */
  public static Instant createdAt(HasMetadata object) {
    try {
      return Timestamps.parse(object.getMetadata().getCreationTimestamp()).orElse(Instant.MAX);
    } catch (DateTimeParseException e) {
      return Instant.MAX;
    }
  }

  private static LeaseTerms.ClientState clientState(PrefixLeaseSpec spec) {
    if (spec.getDhcpState() == null) {
      return LeaseTerms.ClientState.HOLDING;
    }
    return switch (spec.getDhcpState()) {
      case Released -> LeaseTerms.ClientState.RELEASED;
      case Expired -> LeaseTerms.ClientState.EXPIRED;
      case Soliciting, Requesting, Bound, Renewing, Rebinding -> LeaseTerms.ClientState.HOLDING;
    };
  }

  private static Optional<DrainingTerm> term(PrefixLease lease, String prefix, String expiresAt) {
    try {
      Optional<Instant> end = Timestamps.parse(expiresAt);
      if (end.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new DrainingTerm(Ipv6Prefix.parse(prefix), end.get()));
    } catch (InvalidPrefixException | DateTimeParseException e) {
      log.warn("ignoring unreadable draining prefix lease={} prefix={} expiresAt={}", name(lease), prefix, expiresAt);
      return Optional.empty();
    }
  }

  /** The published excluded prefix of {@code prefix}, unless absent or not a longer prefix inside it. */
  private static Optional<Ipv6Prefix> excludedFrom(PrefixLease lease, Ipv6Prefix prefix, String excluded) {
    if (excluded == null) {
      return Optional.empty();
    }
    try {
      Ipv6Prefix parsed = Ipv6Prefix.parse(excluded);
      if (prefix.contains(parsed) && parsed.length() > prefix.length()) {
        return Optional.of(parsed);
      }
    } catch (InvalidPrefixException e) {
      // reported below
    }
    log.warn("ignoring unreadable excluded prefix lease={} prefix={} excludedPrefix={}", name(lease), prefix,
        excluded);
    return Optional.empty();
  }

  private static String name(HasMetadata object) {
    return object.getMetadata().getName();
  }
}
