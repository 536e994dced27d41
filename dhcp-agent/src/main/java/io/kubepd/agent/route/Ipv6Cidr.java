package io.kubepd.agent.route;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv6 prefix such as {@code 2001:db8:1::/64} with zero host bits; compares by value, prints in RFC 5952 form. */
public record Ipv6Cidr(Inet6Address address, int length) {

  public Ipv6Cidr {
    if (length < 0 || length > 128) {
      throw new IllegalArgumentException("IPv6 prefix " + format(address) + "/" + length + ": length is outside 0..128");
    }
    byte[] bytes = address.getAddress();
    for (int bit = length; bit < 128; bit++) {
      if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        throw new IllegalArgumentException("IPv6 prefix " + format(address) + "/" + length + " has host bits set");
      }
    }
  }

  /** Parses {@code address/length}; the address must be an IPv6 literal without zone (no name lookup happens). */
  public static Ipv6Cidr parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not an IPv6 prefix (want address/length): '" + text + "'");
    }
    String literal = text.substring(0, slash);
    String lengthText = text.substring(slash + 1);
    if (literal.indexOf(':') < 0 || literal.indexOf('%') >= 0 || !lengthText.matches("\\d{1,3}")) {
      throw new IllegalArgumentException("not an IPv6 prefix (want address/length): '" + text + "'");
    }
    try {
      // A literal containing ':' is parsed, never resolved.
      if (InetAddress.getByName(literal) instanceof Inet6Address v6) {
        return new Ipv6Cidr(v6, Integer.parseInt(lengthText));
      }
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv6 prefix (want address/length): '" + text + "'", e);
    }
    throw new IllegalArgumentException("not an IPv6 prefix (an IPv4-mapped address?): '" + text + "'");
  }

  /** True when {@code other} lies inside this prefix or equals it. */
  public boolean contains(Ipv6Cidr other) {
    if (other.length < length) {
      return false;
    }
    byte[] mine = address.getAddress();
    byte[] theirs = other.address.getAddress();
    for (int bit = 0; bit < length; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((mine[bit / 8] & mask) != (theirs[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return format(address) + "/" + length;
  }

  /** RFC 5952 text: lower case, the longest run of two or more zero groups shortened to {@code ::}. */
  public static String format(Inet6Address address) {
    byte[] b = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = Math.max(i + 1, j);
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
}
