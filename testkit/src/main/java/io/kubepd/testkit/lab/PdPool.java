package io.kubepd.testkit.lab;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * A prefix-delegation pool: {@code prefix} is split into prefixes of {@code delegatedLength} for clients. With
 * {@code excludedPrefix} (a part of {@link #first()}, as Kea's {@code excluded-prefix} is) the server excludes the
 * same part of every prefix it delegates (RFC 6603 PD_EXCLUDE).
 */
public record PdPool(Ipv6Prefix prefix, int delegatedLength, Optional<Ipv6Prefix> excludedPrefix) {
  public PdPool {
    if (delegatedLength < prefix.length() || delegatedLength > 128) {
      throw new IllegalArgumentException(
          "delegated length /" + delegatedLength + " must lie between /" + prefix.length() + " and /128");
    }
    Objects.requireNonNull(excludedPrefix, "excludedPrefix");
    Ipv6Prefix first = prefix.subPrefix(delegatedLength, BigInteger.ZERO);
    excludedPrefix.filter(e -> !first.contains(e) || e.length() == delegatedLength).ifPresent(e -> {
      throw new IllegalArgumentException("excluded prefix " + e + " must be a longer prefix inside " + first);
    });
  }

  public PdPool(Ipv6Prefix prefix, int delegatedLength) {
    this(prefix, delegatedLength, Optional.empty());
  }

  /** {@code PdPool.of("2001:db8:100::/48", 60)}. */
  public static PdPool of(String prefix, int delegatedLength) {
    return new PdPool(Ipv6Prefix.parse(prefix), delegatedLength);
  }

  /** This pool excluding {@code excluded} (inside {@link #first()}) and its like from every delegated prefix. */
  public PdPool excluding(String excluded) {
    return new PdPool(prefix, delegatedLength, Optional.of(Ipv6Prefix.parse(excluded)));
  }

  /** The prefix excluded from {@code delegated}, one of this pool's prefixes: the same bits after its length. */
  public Optional<Ipv6Prefix> excludedFrom(Ipv6Prefix delegated) {
    return excludedPrefix.map(e -> {
      BigInteger offset = new BigInteger(1, e.address().getAddress())
          .subtract(new BigInteger(1, first().address().getAddress()));
      return delegated.subPrefix(e.length(), offset.shiftRight(128 - e.length()));
    });
  }

  /** The first prefix handed out from this pool. */
  public Ipv6Prefix first() {
    return prefix.subPrefix(delegatedLength, BigInteger.ZERO);
  }

  /** The last prefix handed out from this pool. */
  public Ipv6Prefix last() {
    return prefix.subPrefix(
        delegatedLength, BigInteger.ONE.shiftLeft(delegatedLength - prefix.length()).subtract(BigInteger.ONE));
  }

  /** True when {@code delegated} is one of the prefixes this pool hands out. */
  public boolean delegates(Ipv6Prefix delegated) {
    return delegated.length() == delegatedLength && prefix.contains(delegated);
  }

  @Override
  public String toString() {
    return prefix + " delegating /" + delegatedLength + excludedPrefix.map(e -> " excluding " + e).orElse("");
  }
}
