package io.kubepd.operator.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv6PrefixTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      // RFC 5952 section 4.1: no leading zeros; 4.3: lowercase
      "2001:0DB8:0000:0100:0000:0000:0000:0000/56, 2001:db8:0:100::/56",
      // 4.2.1: the longest run is compressed
      "2001:db8:0:0:1:0:0:0/128, 2001:db8:0:0:1::/128",
      // 4.2.2: a single zero group is not compressed
      "2001:db8:0:1:1:1:1:1/128, 2001:db8:0:1:1:1:1:1/128",
      // 4.2.3: of two equal runs the first is compressed
      "2001:db8:0:0:1:0:0:1/128, 2001:db8::1:0:0:1/128",
      "0:0:0:0:0:0:0:0/0, ::/0",
      "::1/128, ::1/128",
      "1::/16, 1::/16",
      "fe80::/10, fe80::/10",
      "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
      "1:2:3:4:5:6:7::/128, 1:2:3:4:5:6:7:0/128",
      // section 5: IPv4-mapped addresses keep dotted decimal, IPv4 text is accepted at the end
      "::ffff:c000:201/128, ::ffff:192.0.2.1/128",
      "::192.0.2.1/128, ::c000:201/128",
      "64:ff9b::192.0.2.0/120, 64:ff9b::c000:200/120",
  })
  void parsesAndPrintsCanonically(String input, String canonical) {
    Ipv6Prefix prefix = Ipv6Prefix.parse(input);
    assertThat(prefix).hasToString(canonical);
    assertThat(Ipv6Prefix.parse(canonical)).isEqualTo(prefix);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "/64", "2001:db8::", "2001:db8::/", "2001:db8::/129", "2001:db8::/064", "2001:db8::/-1", "2001:db8::/6a",
      "2001:db8:::/64", "2001::db8::/64", ":2001:db8::/64", "2001:db8:/64", "2001:db8::1:/64", "12345::/16",
      "g::/16", "1:2:3:4:5:6:7:8:9/128", "1:2:3:4:5:6:7/112", "1:2:3:4:5:6:7:8::/128", "::1.2.3/128",
      "::1.2.3.256/128", "::01.2.3.4/128", "::1.2.3.4:5/128", "fe80::1%eth0/128", "192.0.2.0/24",
      "2001:db8::1/64", "2001:db8:0:100::/55", " 2001:db8::/32", "2001:db8::/32 "})
  void rejectsWhatIsNotAPrefix(String input) {
    assertThatThrownBy(() -> Ipv6Prefix.parse(input))
        .isInstanceOf(InvalidPrefixException.class)
        .hasMessageContaining("is not an IPv6 prefix")
        .satisfies(e -> assertThat(((InvalidPrefixException) e).input()).isEqualTo(input));
  }

  @Test
  void saysWhichNetworkWasMeantWhenHostBitsAreSet() {
    assertThatThrownBy(() -> Ipv6Prefix.parse("2001:db8:0:1ff::/56"))
        .hasMessageContaining("host bits are set after /56; the network is 2001:db8:0:100::/56");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> Ipv6Prefix.parse(null)).isInstanceOf(InvalidPrefixException.class);
  }

  @Test
  void carvesSubPrefixesByIndex() {
    Ipv6Prefix delegated = Ipv6Prefix.parse("2001:db8:0:100::/56");
    assertThat(delegated.subPrefix(64, 0)).hasToString("2001:db8:0:100::/64");
    assertThat(delegated.subPrefix(64, 1)).hasToString("2001:db8:0:101::/64");
    assertThat(delegated.subPrefix(64, 255)).hasToString("2001:db8:0:1ff::/64");
    assertThat(delegated.subPrefix(56, 0)).isEqualTo(delegated);
    assertThat(delegated.subPrefix(80, 3)).hasToString("2001:db8:0:100:3::/80");
    assertThat(delegated.subPrefix(128, 1)).hasToString("2001:db8:0:100::1/128");
    assertThat(delegated.subPrefixCount(64)).isEqualTo(BigInteger.valueOf(256));
    assertThat(delegated.hasSubPrefix(64, 256)).isFalse();
    assertThat(delegated.hasSubPrefix(48, 0)).isFalse();
    assertThat(delegated.hasSubPrefix(64, -1)).isFalse();
    assertThat(delegated.hasSubPrefix(129, 0)).isFalse();
    assertThatThrownBy(() -> delegated.subPrefix(64, 256))
        .hasMessage("index 256 is out of range: 2001:db8:0:100::/56 holds 256 /64 prefixes");
    assertThatThrownBy(() -> delegated.subPrefix(48, 0))
        .hasMessageContaining("/48 cannot be carved from 2001:db8:0:100::/56");
  }

  @Test
  void carvesAtTheEdges() {
    Ipv6Prefix all = Ipv6Prefix.parse("::/0");
    assertThat(all.subPrefix(1, 1)).hasToString("8000::/1");
    assertThat(all.subPrefix(64, Long.MAX_VALUE)).hasToString("7fff:ffff:ffff:ffff::/64");
    assertThat(all.subPrefix(128, Long.MAX_VALUE)).hasToString("::7fff:ffff:ffff:ffff/128");
    assertThat(all.hasSubPrefix(128, Long.MAX_VALUE)).isTrue();
    assertThat(all.subPrefix(0, 0)).isEqualTo(all);
    assertThat(all.subPrefix(65, 5)).hasToString("::2:8000:0:0:0/65");
    Ipv6Prefix host = Ipv6Prefix.parse("2001:db8::1/128");
    assertThat(host.subPrefix(128, 0)).isEqualTo(host);
    assertThat(host.hasSubPrefix(128, 1)).isFalse();
    assertThat(Ipv6Prefix.parse("2001:db8::/127").subPrefix(128, 1)).hasToString("2001:db8::1/128");
  }

  @Test
  void containsAndOverlaps() {
    Ipv6Prefix p56 = Ipv6Prefix.parse("2001:db8:0:100::/56");
    Ipv6Prefix p64 = Ipv6Prefix.parse("2001:db8:0:1ff::/64");
    Ipv6Prefix other = Ipv6Prefix.parse("2001:db8:0:200::/56");
    Ipv6Prefix all = Ipv6Prefix.parse("::/0");
    assertThat(p56.contains(p64)).isTrue();
    assertThat(p64.contains(p56)).isFalse();
    assertThat(p56.contains(p56)).isTrue();
    assertThat(p56.overlaps(p64)).isTrue();
    assertThat(p64.overlaps(p56)).isTrue();
    assertThat(p56.overlaps(other)).isFalse();
    assertThat(all.contains(p64)).isTrue();
    assertThat(all.overlaps(Ipv6Prefix.parse("ffff::/16"))).isTrue();
    assertThat(Ipv6Prefix.parse("::1/128").overlaps(Ipv6Prefix.parse("::/128"))).isFalse();
  }

  @Test
  void truncatesAndFindsNibbleBoundaries() {
    Ipv6Prefix p62 = Ipv6Prefix.parse("2001:db8:0:10c::/62");
    assertThat(p62.isNibbleAligned()).isFalse();
    assertThat(p62.toNibbleBoundary()).hasToString("2001:db8:0:100::/60");
    assertThat(Ipv6Prefix.parse("2001:db8::/64").isNibbleAligned()).isTrue();
    assertThat(Ipv6Prefix.parse("2001:db8::/64").toNibbleBoundary()).hasToString("2001:db8::/64");
    assertThat(Ipv6Prefix.parse("8000::/1").toNibbleBoundary()).hasToString("::/0");
    assertThat(p62.truncateTo(0)).hasToString("::/0");
    assertThat(Ipv6Prefix.parse("2001:db8::1/128").truncateTo(127)).hasToString("2001:db8::/127");
    assertThatThrownBy(() -> p62.truncateTo(63)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withoutAHoleLeavesOnePrefixPerBit() {
    Ipv6Prefix p56 = Ipv6Prefix.parse("2001:db8:0:100::/56");
    assertThat(p56.without(Ipv6Prefix.parse("2001:db8:0:1fc::/62"))).extracting(Ipv6Prefix::toString)
        .containsExactly("2001:db8:0:100::/57", "2001:db8:0:180::/58", "2001:db8:0:1c0::/59", "2001:db8:0:1e0::/60",
            "2001:db8:0:1f0::/61", "2001:db8:0:1f8::/62");
    assertThat(p56.without(Ipv6Prefix.parse("2001:db8:0:100::/57"))).extracting(Ipv6Prefix::toString)
        .containsExactly("2001:db8:0:180::/57");
    // Across the 64-bit halves of the address.
    assertThat(Ipv6Prefix.parse("2001:db8::/63").without(Ipv6Prefix.parse("2001:db8:0:1::/65")))
        .extracting(Ipv6Prefix::toString).containsExactly("2001:db8::/64", "2001:db8:0:1:8000::/65");
    assertThat(Ipv6Prefix.parse("::/127").without(Ipv6Prefix.parse("::1/128"))).extracting(Ipv6Prefix::toString)
        .containsExactly("::/128");
    assertThatThrownBy(() -> p56.without(p56)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> p56.without(Ipv6Prefix.parse("2001:db8:0:200::/64")))
        .hasMessage("2001:db8:0:200::/64 is not a part of 2001:db8:0:100::/56");
  }

  @Test
  void lastIndexInCountsSubPrefixes() {
    Ipv6Prefix p56 = Ipv6Prefix.parse("2001:db8:0:100::/56");
    assertThat(Ipv6Prefix.parse("2001:db8:0:105::/64").lastIndexIn(p56, 64)).hasValue(5);
    assertThat(Ipv6Prefix.parse("2001:db8:0:110::/60").lastIndexIn(p56, 64)).hasValue(31);
    assertThat(Ipv6Prefix.parse("2001:db8:0:1ff::1/128").lastIndexIn(p56, 60)).hasValue(15);
    assertThat(Ipv6Prefix.parse("::ffff:ffff:ffff:ffff/128").lastIndexIn(Ipv6Prefix.parse("::/0"), 128)).isEmpty();
  }

  @Test
  void ordersByAddressThenLength() {
    assertThat(Ipv6Prefix.parse("2001:db8::/32")).isLessThan(Ipv6Prefix.parse("2001:db8::/48"));
    assertThat(Ipv6Prefix.parse("2001:db8::/48")).isLessThan(Ipv6Prefix.parse("2001:db8:1::/48"));
    // unsigned: the high half of the address space sorts last
    assertThat(Ipv6Prefix.parse("7fff::/16")).isLessThan(Ipv6Prefix.parse("8000::/16"));
    assertThat(Ipv6Prefix.parse("::7fff:0:0:0/80")).isLessThan(Ipv6Prefix.parse("::8000:0:0:0/80"));
  }

  @Test
  void lastAddressEndsTheRange() {
    assertThat(Ipv6Prefix.parse("2001:db8:0:100::/56").lastAddress())
        .hasToString("2001:db8:0:1ff:ffff:ffff:ffff:ffff/128");
    assertThat(Ipv6Prefix.parse("::/0").lastAddress()).hasToString("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
    assertThat(Ipv6Prefix.parse("2001:db8::/64").lastAddress()).hasToString("2001:db8::ffff:ffff:ffff:ffff/128");
    assertThat(Ipv6Prefix.parse("2001:db8::/96").lastAddress()).hasToString("2001:db8::ffff:ffff/128");
    assertThat(Ipv6Prefix.parse("2001:db8::1/128").lastAddress()).hasToString("2001:db8::1/128");
  }
}
