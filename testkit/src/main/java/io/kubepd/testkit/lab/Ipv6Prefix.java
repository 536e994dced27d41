package io.kubepd.testkit.lab;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv6 prefix such as {@code 2001:db8:100::/48}; host bits must be zero. */
public record Ipv6Prefix(Inet6Address address, int length) implements Comparable<Ipv6Prefix> {
  private static final BigInteger ALL_ONES = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

  public Ipv6Prefix {
    if (length < 0 || length > 128) {
      throw new IllegalArgumentException("prefix length " + length + " is outside 0..128");
    }
    if (!toBigInteger(address).and(hostMask(length)).equals(BigInteger.ZERO)) {
      throw new IllegalArgumentException(
          "prefix " + address.getHostAddress() + "/" + length + " has host bits set");
    }
  }

  /** Parses {@code address/length}; the address must be an IPv6 literal (no name lookup happens). */
  public static Ipv6Prefix parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0 || text.indexOf(':') < 0) {
      throw new IllegalArgumentException("not an IPv6 prefix (want address/length): " + text);
    }
    int length;
    try {
      length = Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an IPv6 prefix length: " + text, e);
    }
    return new Ipv6Prefix(parseAddress(text.substring(0, slash)), length);
  }

  /** Parses an IPv6 literal without a zone. */
  public static Inet6Address parseAddress(String literal) {
    if (literal.indexOf(':') < 0 || literal.indexOf('%') >= 0) {
      throw new IllegalArgumentException("not an IPv6 address literal: " + literal);
    }
    try {
      // A literal containing ':' is parsed, never resolved.
      InetAddress parsed = InetAddress.getByName(literal);
      if (parsed instanceof Inet6Address v6) {
        return v6;
      }
      throw new IllegalArgumentException("not an IPv6 address literal: " + literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv6 address literal: " + literal, e);
    }
  }

  /** True when {@code other} lies within this prefix (or equals it). */
  public boolean contains(Ipv6Prefix other) {
    return other.length >= length
        && toBigInteger(other.address).andNot(hostMask(length)).equals(toBigInteger(address));
  }

  /** The {@code index}-th prefix of length {@code subLength} inside this one (0 is the first). */
  public Ipv6Prefix subPrefix(int subLength, BigInteger index) {
    if (subLength < length || subLength > 128) {
      throw new IllegalArgumentException("cannot split /" + length + " into /" + subLength);
    }
    if (index.signum() < 0 || index.bitLength() > subLength - length) {
      throw new IllegalArgumentException("/" + length + " has no /" + subLength + " number " + index);
    }
    return new Ipv6Prefix(
        fromBigInteger(toBigInteger(address).or(index.shiftLeft(128 - subLength))), subLength);
  }

  @Override
  public int compareTo(Ipv6Prefix o) {
    int byAddress = toBigInteger(address).compareTo(toBigInteger(o.address));
    return byAddress != 0 ? byAddress : Integer.compare(length, o.length);
  }

  @Override
  public String toString() {
    return format(address) + "/" + length;
  }

  /** RFC 5952 text: lower case, longest run of two or more zero groups shortened to {@code ::}. */
  public static String format(Inet6Address a) {
    byte[] b = a.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; i++) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = Math.max(i, j);
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  static BigInteger toBigInteger(Inet6Address a) {
    return new BigInteger(1, a.getAddress());
  }

  static Inet6Address fromBigInteger(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] bytes = new byte[16];
    int copy = Math.min(raw.length, 16);
    System.arraycopy(raw, raw.length - copy, bytes, 16 - copy, copy);
    try {
      return (Inet6Address) InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always an IPv6 address", e);
    }
  }

  private static BigInteger hostMask(int length) {
    return ALL_ONES.shiftRight(length);
  }
}
