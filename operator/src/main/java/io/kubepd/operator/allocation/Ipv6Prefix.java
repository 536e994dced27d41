package io.kubepd.operator.allocation;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;

/**
 * An IPv6 network prefix (address with no host bits set, and a length 0–128); immutable, ordered by address then
 * length, printed in the canonical text form of RFC 5952.
 *
 * <p>Hand-written instead of {@link java.net.Inet6Address}: the JDK prints addresses uncompressed (not RFC 5952),
 * and {@link java.net.InetAddress#getByName} resolves anything that is not a literal through DNS.
 */
public final class Ipv6Prefix implements Comparable<Ipv6Prefix> {
  /** Prefix lengths on 4-bit boundaries can each be delegated in reverse DNS (one ip6.arpa label per nibble). */
  public static final int NIBBLE = 4;

  private static final int MAX_LENGTH = 128;

  private final long hi;
  private final long lo;
  private final int length;

  private Ipv6Prefix(long hi, long lo, int length) {
    this.hi = hi;
    this.lo = lo;
    this.length = length;
  }

  /**
   * Parses {@code address/length}, e.g. {@code 2001:db8:0:100::/56} (RFC 4291 section 2.2 and 2.3). Host bits must
   * be zero, so that every prefix has one spelling.
   *
   * @throws InvalidPrefixException if the text is not such a prefix
   */
  public static Ipv6Prefix parse(String text) {
    if (text == null) {
      throw new InvalidPrefixException("null", "no text");
    }
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new InvalidPrefixException(text, "no /length");
    }
    int length = parseLength(text, text.substring(slash + 1));
    long[] address = parseAddress(text, text.substring(0, slash));
    Ipv6Prefix prefix = new Ipv6Prefix(address[0], address[1], length);
    Ipv6Prefix masked = prefix.truncateTo(length);
    if (!masked.equals(prefix)) {
      throw new InvalidPrefixException(text, "host bits are set after /" + length + "; the network is " + masked);
    }
    return prefix;
  }

  /** Number of leading bits that name the network. */
  public int length() {
    return length;
  }

  /** Whether {@code other} lies entirely inside this prefix (a prefix contains itself). */
  public boolean contains(Ipv6Prefix other) {
    return other.length >= length && other.truncateTo(length).equals(this);
  }

  /** Whether the two prefixes share any address; for prefixes that means one contains the other. */
  public boolean overlaps(Ipv6Prefix other) {
    return contains(other) || other.contains(this);
  }

  /** The prefix of {@code length} (at most this one's) that contains this prefix. */
  public Ipv6Prefix truncateTo(int newLength) {
    if (newLength < 0 || newLength > length) {
      throw new IllegalArgumentException("cannot shorten /" + length + " to /" + newLength);
    }
    if (newLength == 0) {
      return new Ipv6Prefix(0, 0, 0);
    }
    if (newLength <= 64) {
      return new Ipv6Prefix(hi & (-1L << (64 - newLength)), 0, newLength);
    }
    return new Ipv6Prefix(hi, lo & (-1L << (MAX_LENGTH - newLength)), newLength);
  }

  /** How many prefixes of {@code subLength} this prefix holds: 2^(subLength - length). */
  public BigInteger subPrefixCount(int subLength) {
    checkSubLength(subLength);
    return BigInteger.ONE.shiftLeft(subLength - length);
  }

  /** Whether {@link #subPrefix(int, long)} with these arguments names a prefix inside this one. */
  public boolean hasSubPrefix(int subLength, long index) {
    if (subLength < length || subLength > MAX_LENGTH || index < 0) {
      return false;
    }
    int bits = subLength - length;
    return bits >= Long.SIZE - 1 || index < (1L << bits);
  }

  /**
   * The {@code index}-th prefix of {@code subLength} inside this one, counting from 0 at this prefix's first address.
   *
   * @throws IllegalArgumentException if {@link #hasSubPrefix(int, long)} is false
   */
  public Ipv6Prefix subPrefix(int subLength, long index) {
    checkSubLength(subLength);
    if (!hasSubPrefix(subLength, index)) {
      throw new IllegalArgumentException(
          "index " + index + " is out of range: " + this + " holds " + subPrefixCount(subLength) + " /" + subLength
              + " prefixes");
    }
    int shift = MAX_LENGTH - subLength;
    long addHi;
    long addLo;
    if (shift >= 64) {
      addHi = shift == MAX_LENGTH ? 0 : index << (shift - 64);
      addLo = 0;
    } else {
      addHi = shift == 0 ? 0 : index >>> (64 - shift);
      addLo = index << shift;
    }
    // The index bits lie below this prefix's length, where its address is zero, so OR adds without carry.
    return new Ipv6Prefix(hi | addHi, lo | addLo, subLength);
  }

  /**
   * The prefixes that together cover this one except {@code hole}, in address order: for each length from this one's
   * plus 1 to the hole's, the half that does not hold the hole. The fewest prefixes that can do it, one per bit.
   *
   * @throws IllegalArgumentException unless {@code hole} lies inside this prefix and is longer
   */
  public List<Ipv6Prefix> without(Ipv6Prefix hole) {
    if (!contains(hole) || hole.length == length) {
      throw new IllegalArgumentException(hole + " is not a part of " + this);
    }
    List<Ipv6Prefix> rest = new ArrayList<>();
    for (int bit = length; bit < hole.length; bit++) {
      Ipv6Prefix half = hole.truncateTo(bit + 1);
      rest.add(bit < 64
          ? new Ipv6Prefix(half.hi ^ (1L << (63 - bit)), half.lo, bit + 1)
          : new Ipv6Prefix(half.hi, half.lo ^ (1L << (127 - bit)), bit + 1));
    }
    Collections.sort(rest);
    return rest;
  }

  /**
   * The number of the prefix of {@code subLength} inside {@code parent} that holds this prefix's last address, as in
   * {@link #subPrefix(int, long)}; empty when it does not fit a {@code long}.
   */
  OptionalLong lastIndexIn(Ipv6Prefix parent, int subLength) {
    if (!parent.contains(this) || subLength < parent.length || subLength > MAX_LENGTH) {
      throw new IllegalArgumentException("/" + subLength + " prefixes of " + parent + " cannot hold " + this);
    }
    BigInteger offset = new BigInteger(1, lastAddress().addressBytes())
        .subtract(new BigInteger(1, parent.addressBytes()));
    BigInteger index = offset.shiftRight(MAX_LENGTH - subLength);
    return index.bitLength() < Long.SIZE ? OptionalLong.of(index.longValue()) : OptionalLong.empty();
  }

  /** Whether the length falls on a 4-bit boundary, so the prefix maps to one ip6.arpa zone. */
  public boolean isNibbleAligned() {
    return length % NIBBLE == 0;
  }

  /** The nibble-aligned prefix that contains this one: itself if aligned, else the next shorter boundary. */
  public Ipv6Prefix toNibbleBoundary() {
    return truncateTo(length - length % NIBBLE);
  }

  /** The last address of this prefix as a /128, for range queries over ordered prefixes. */
  Ipv6Prefix lastAddress() {
    if (length == 0) {
      return new Ipv6Prefix(-1L, -1L, MAX_LENGTH);
    }
    if (length <= 64) {
      return new Ipv6Prefix(hi | ~(-1L << (64 - length)), -1L, MAX_LENGTH);
    }
    long hostMask = length == MAX_LENGTH ? 0 : ~(-1L << (MAX_LENGTH - length));
    return new Ipv6Prefix(hi, lo | hostMask, MAX_LENGTH);
  }

  /** The 16 address bytes in network order. */
  byte[] addressBytes() {
    byte[] bytes = new byte[16];
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) (hi >>> (56 - 8 * i));
      bytes[8 + i] = (byte) (lo >>> (56 - 8 * i));
    }
    return bytes;
  }

  @Override
  public int compareTo(Ipv6Prefix other) {
    int c = Long.compareUnsigned(hi, other.hi);
    if (c == 0) {
      c = Long.compareUnsigned(lo, other.lo);
    }
    return c != 0 ? c : Integer.compare(length, other.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ipv6Prefix p && p.hi == hi && p.lo == lo && p.length == length;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(hi) * 31 * 31 + Long.hashCode(lo) * 31 + length;
  }

  /** The RFC 5952 text: lowercase, no leading zeros, the longest run of two or more zero groups as {@code ::}. */
  @Override
  public String toString() {
    return formatAddress() + "/" + length;
  }

  private String formatAddress() {
    int[] groups = new int[8];
    for (int i = 0; i < 4; i++) {
      groups[i] = (int) (hi >>> (48 - 16 * i)) & 0xffff;
      groups[4 + i] = (int) (lo >>> (48 - 16 * i)) & 0xffff;
    }
    StringBuilder out = new StringBuilder(41);
    if (hi == 0 && lo >>> 32 == 0xffffL) {
      // RFC 5952 section 5: IPv4-mapped addresses keep their IPv4 part in dotted decimal.
      return out.append("::ffff:").append(lo >>> 24 & 0xff).append('.').append(lo >>> 16 & 0xff).append('.')
          .append(lo >>> 8 & 0xff).append('.').append(lo & 0xff).toString();
    }
    int bestStart = -1;
    int bestLength = 1; // RFC 5952 section 4.2.2: a single zero group is not compressed.
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) { // strictly longer: on a tie the first run wins (section 4.2.3)
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
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

  private void checkSubLength(int subLength) {
    if (subLength < length || subLength > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "/" + subLength + " cannot be carved from " + this + ": the length must be " + length + " to 128");
    }
  }

  private static int parseLength(String input, String text) {
    if (text.isEmpty() || text.length() > 3 || (text.length() > 1 && text.charAt(0) == '0')) {
      throw new InvalidPrefixException(input, "the length must be a number from 0 to 128 without leading zeros");
    }
    int value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new InvalidPrefixException(input, "the length must be a number from 0 to 128");
      }
      value = value * 10 + (c - '0');
    }
    if (value > MAX_LENGTH) {
      throw new InvalidPrefixException(input, "the length " + value + " is over 128");
    }
    return value;
  }

  /** Parses the address text into {hi, lo}; RFC 4291 section 2.2 forms 1–3. */
  private static long[] parseAddress(String input, String text) {
    if (text.isEmpty()) {
      throw new InvalidPrefixException(input, "no address");
    }
    int doubleColon = text.indexOf("::");
    if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
      throw new InvalidPrefixException(input, "\"::\" may appear only once");
    }
    int[] groups = new int[8];
    if (doubleColon < 0) {
      int n = parseGroups(input, text, true, groups);
      if (n != 8) {
        throw new InvalidPrefixException(input, "an address without \"::\" needs 8 groups, not " + n);
      }
    } else {
      int[] tail = new int[8];
      int headCount = parseGroups(input, text.substring(0, doubleColon), false, groups);
      int tailCount = parseGroups(input, text.substring(doubleColon + 2), true, tail);
      if (headCount + tailCount > 7) {
        throw new InvalidPrefixException(input, "too many groups around \"::\"");
      }
      System.arraycopy(tail, 0, groups, 8 - tailCount, tailCount);
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 4; i++) {
      hi = hi << 16 | groups[i];
      lo = lo << 16 | groups[4 + i];
    }
    return new long[] {hi, lo};
  }

  /** Parses colon-separated hex groups (and a final dotted IPv4 part if allowed) into out; returns the count. */
  private static int parseGroups(String input, String part, boolean ipv4Allowed, int[] out) {
    if (part.isEmpty()) {
      return 0;
    }
    String[] tokens = part.split(":", -1);
    int n = 0;
    for (int t = 0; t < tokens.length; t++) {
      String token = tokens[t];
      if (token.isEmpty()) {
        throw new InvalidPrefixException(input, "empty group");
      }
      if (token.indexOf('.') >= 0) {
        if (!ipv4Allowed || t != tokens.length - 1) {
          throw new InvalidPrefixException(input, "an IPv4 part may only end the address");
        }
        int v4 = parseIpv4(input, token);
        if (n + 2 > 8) {
          throw new InvalidPrefixException(input, "more than 8 groups");
        }
        out[n++] = v4 >>> 16;
        out[n++] = v4 & 0xffff;
        continue;
      }
      if (token.length() > 4) {
        throw new InvalidPrefixException(input, "group \"" + token + "\" has more than 4 hex digits");
      }
      int value = 0;
      for (int i = 0; i < token.length(); i++) {
        int digit = Character.digit(token.charAt(i), 16);
        if (digit < 0) {
          throw new InvalidPrefixException(input, "group \"" + token + "\" is not hexadecimal");
        }
        value = value << 4 | digit;
      }
      if (n >= 8) {
        throw new InvalidPrefixException(input, "more than 8 groups");
      }
      out[n++] = value;
    }
    return n;
  }

  private static int parseIpv4(String input, String token) {
    String[] octets = token.split("\\.", -1);
    if (octets.length != 4) {
      throw new InvalidPrefixException(input, "the IPv4 part \"" + token + "\" needs 4 octets");
    }
    int value = 0;
    for (String octet : octets) {
      if (octet.isEmpty() || octet.length() > 3 || (octet.length() > 1 && octet.charAt(0) == '0')
          || !octet.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new InvalidPrefixException(input, "the IPv4 part \"" + token + "\" is not dotted decimal");
      }
      int v = Integer.parseInt(octet);
      if (v > 255) {
        throw new InvalidPrefixException(input, "the IPv4 part \"" + token + "\" has an octet over 255");
      }
      value = value << 8 | v;
    }
    return value;
  }
}
