package io.kubepd.testkit.lab;

import java.math.BigInteger;

/** A prefix-delegation pool: {@code prefix} is split into prefixes of {@code delegatedLength} for clients. */
public record PdPool(Ipv6Prefix prefix, int delegatedLength) {
  public PdPool {
    if (delegatedLength < prefix.length() || delegatedLength > 128) {
      throw new IllegalArgumentException(
          "delegated length /" + delegatedLength + " must lie between /" + prefix.length() + " and /128");
    }
  }

  /** {@code PdPool.of("2001:db8:100::/48", 60)}. */
  public static PdPool of(String prefix, int delegatedLength) {
    return new PdPool(Ipv6Prefix.parse(prefix), delegatedLength);
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
    return prefix + " delegating /" + delegatedLength;
  }
}
