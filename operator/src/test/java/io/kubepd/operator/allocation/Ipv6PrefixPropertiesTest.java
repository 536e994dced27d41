package io.kubepd.operator.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of prefix arithmetic, checked against BigInteger arithmetic and the JDK's address parser. */
class Ipv6PrefixPropertiesTest {

  @Property
  void canonicalTextParsesBackToTheSamePrefix(@ForAll("prefixes") Ipv6Prefix prefix) {
    assertThat(Ipv6Prefix.parse(prefix.toString())).isEqualTo(prefix);
  }

  @Property
  void canonicalTextFollowsRfc5952(@ForAll("prefixes") Ipv6Prefix prefix) {
    String address = prefix.toString().substring(0, prefix.toString().indexOf('/'));
    assertThat(address).isLowerCase().doesNotContain(":::");
    assertThat(address.split("::", -1).length).isLessThanOrEqualTo(2);
    for (String group : address.split(":")) {
      assertThat(group.length() <= 1 || group.charAt(0) != '0' || group.contains(".")).as(group).isTrue();
    }
  }

  @Property
  void agreesWithTheJdkParser(@ForAll("prefixes") Ipv6Prefix prefix) throws UnknownHostException {
    String text = prefix.toString();
    // A literal never triggers a DNS lookup.
    byte[] jdk = InetAddress.getByName(text.substring(0, text.indexOf('/'))).getAddress();
    if (jdk.length == 4) { // the JDK turns IPv4-mapped literals into IPv4 addresses
      assertThat(text).startsWith("::ffff:");
      return;
    }
    assertThat(jdk).isEqualTo(prefix.addressBytes());
  }

  @Property
  void uncompressedTextParsesToTheSamePrefix(@ForAll("prefixes") Ipv6Prefix prefix) {
    byte[] bytes = prefix.addressBytes();
    StringBuilder full = new StringBuilder();
    for (int i = 0; i < 16; i += 2) {
      full.append(i == 0 ? "" : ":").append(String.format("%02X%02x", bytes[i], bytes[i + 1]));
    }
    assertThat(Ipv6Prefix.parse(full + "/" + prefix.length())).isEqualTo(prefix);
  }

  @Property
  void subPrefixIsContainedAndAtTheRightOffset(
      @ForAll("prefixes") Ipv6Prefix parent, @ForAll @IntRange(min = 0, max = 128) int extra,
      @ForAll long rawIndex) {
    int length = Math.min(128, parent.length() + extra % 70);
    BigInteger count = parent.subPrefixCount(length);
    long index = BigInteger.valueOf(rawIndex).abs().mod(count.min(BigInteger.valueOf(Long.MAX_VALUE))).longValue();
    Ipv6Prefix sub = parent.subPrefix(length, index);
    assertThat(parent.contains(sub)).isTrue();
    assertThat(sub.length()).isEqualTo(length);
    BigInteger expected = value(parent).add(BigInteger.valueOf(index).shiftLeft(128 - length));
    assertThat(value(sub)).isEqualTo(expected);
  }

  @Property
  void indexesPastTheEndAreRejected(@ForAll("prefixes") Ipv6Prefix parent, @ForAll @IntRange(max = 62) int bits) {
    Assume.that(parent.length() + bits <= 128);
    int length = parent.length() + bits;
    assertThat(parent.hasSubPrefix(length, (1L << bits) - 1)).isTrue();
    assertThat(parent.hasSubPrefix(length, 1L << bits)).isFalse();
  }

  @Property
  void siblingsDoNotOverlap(@ForAll("prefixes") Ipv6Prefix parent, @ForAll @IntRange(min = 1, max = 16) int bits) {
    Assume.that(parent.length() + bits <= 128);
    int length = parent.length() + bits;
    Ipv6Prefix first = parent.subPrefix(length, 0);
    Ipv6Prefix last = parent.subPrefix(length, (1L << bits) - 1);
    assertThat(first.overlaps(last)).isFalse();
    assertThat(parent.contains(first) && parent.contains(last)).isTrue();
  }

  @Property
  void overlapMeansSharingAnAddress(@ForAll("prefixes") Ipv6Prefix a, @ForAll("prefixes") Ipv6Prefix b) {
    BigInteger aFirst = value(a);
    BigInteger aLast = aFirst.add(BigInteger.ONE.shiftLeft(128 - a.length())).subtract(BigInteger.ONE);
    BigInteger bFirst = value(b);
    BigInteger bLast = bFirst.add(BigInteger.ONE.shiftLeft(128 - b.length())).subtract(BigInteger.ONE);
    boolean shares = aFirst.compareTo(bLast) <= 0 && bFirst.compareTo(aLast) <= 0;
    assertThat(a.overlaps(b)).isEqualTo(shares).isEqualTo(b.overlaps(a));
    assertThat(value(a.lastAddress())).isEqualTo(aLast);
  }

  @Property
  void withoutCoversTheRestExactlyOnce(
      @ForAll("prefixes") Ipv6Prefix hole, @ForAll @IntRange(min = 1, max = 128) int shorterBy) {
    Assume.that(hole.length() >= shorterBy);
    Ipv6Prefix parent = hole.truncateTo(hole.length() - shorterBy);
    List<Ipv6Prefix> rest = parent.without(hole);
    assertThat(rest).hasSize(shorterBy).isSorted();
    BigInteger covered = size(hole);
    for (int i = 0; i < rest.size(); i++) {
      assertThat(parent.contains(rest.get(i))).isTrue();
      assertThat(rest.get(i).overlaps(hole)).isFalse();
      for (int j = i + 1; j < rest.size(); j++) {
        assertThat(rest.get(i).overlaps(rest.get(j))).isFalse();
      }
      covered = covered.add(size(rest.get(i)));
    }
    assertThat(covered).isEqualTo(size(parent));
  }

  @Property
  void truncationContainsTheOriginal(@ForAll("prefixes") Ipv6Prefix prefix, @ForAll @IntRange(max = 128) int to) {
    Assume.that(to <= prefix.length());
    Ipv6Prefix shorter = prefix.truncateTo(to);
    assertThat(shorter.contains(prefix)).isTrue();
    assertThat(shorter.compareTo(prefix)).isLessThanOrEqualTo(0);
    assertThat(prefix.toNibbleBoundary().contains(prefix)).isTrue();
    assertThat(prefix.toNibbleBoundary().isNibbleAligned()).isTrue();
    assertThat(prefix.length() - prefix.toNibbleBoundary().length()).isLessThan(Ipv6Prefix.NIBBLE);
  }

  @Property
  void orderIsConsistentWithEquals(@ForAll("prefixes") Ipv6Prefix a, @ForAll("prefixes") Ipv6Prefix b) {
    assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
    assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
    if (a.equals(b)) {
      assertThat(a.hashCode()).isEqualTo(b.hashCode());
    }
  }

  /** Prefixes with many zero groups (to exercise compression) as well as dense ones, all lengths 0–128. */
  @Provide
  Arbitrary<Ipv6Prefix> prefixes() {
    Arbitrary<Integer> group = Arbitraries.oneOf(
        Arbitraries.just(0), Arbitraries.just(0), Arbitraries.integers().between(0, 0xffff),
        Arbitraries.of(1, 0xffff, 0x2001, 0xdb8));
    Arbitrary<int[]> groups = group.array(int[].class).ofSize(8);
    Arbitrary<Integer> lengths = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 128), Arbitraries.of(0, 1, 48, 56, 60, 63, 64, 65, 127, 128));
    return Combinators.combine(groups, lengths).as((g, length) -> {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 8; i++) {
        text.append(i == 0 ? "" : ":").append(Integer.toHexString(g[i]));
      }
      Ipv6Prefix host = Ipv6Prefix.parse(text + "/128");
      return host.truncateTo(length);
    });
  }

  private static BigInteger size(Ipv6Prefix prefix) {
    return BigInteger.ONE.shiftLeft(128 - prefix.length());
  }

  private static BigInteger value(Ipv6Prefix prefix) {
    return new BigInteger(1, prefix.addressBytes());
  }
}
