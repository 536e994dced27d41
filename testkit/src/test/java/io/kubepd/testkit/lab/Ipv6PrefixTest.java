package io.kubepd.testkit.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class Ipv6PrefixTest {
  @Test
  void parsesAndPrintsInRfc5952Form() {
    assertThat(Ipv6Prefix.parse("2001:DB8:0:0:100::/72")).hasToString("2001:db8:0:0:100::/72");
    assertThat(Ipv6Prefix.parse("2001:db8:0:0:1:0:0:1/128")).as("first of equal runs").hasToString("2001:db8::1:0:0:1/128");
    assertThat(Ipv6Prefix.parse("2001:db8:100::/48")).hasToString("2001:db8:100::/48");
    assertThat(Ipv6Prefix.parse("::/0")).hasToString("::/0");
    assertThat(Ipv6Prefix.parse("2001:0:0:1:0:0:0:0/64")).hasToString("2001:0:0:1::/64");
    assertThat(Ipv6Prefix.parse("2001:db8:1:2:3:4:5:0/128")).hasToString("2001:db8:1:2:3:4:5:0/128");
  }

  @Test
  void rejectsHostBitsBadLengthsAndNonIpv6() {
    assertThatIllegalArgumentException().isThrownBy(() -> Ipv6Prefix.parse("2001:db8::1/64")).withMessageContaining("host bits");
    assertThatIllegalArgumentException().isThrownBy(() -> Ipv6Prefix.parse("2001:db8::/129"));
    assertThatIllegalArgumentException().isThrownBy(() -> Ipv6Prefix.parse("2001:db8::"));
    assertThatIllegalArgumentException().isThrownBy(() -> Ipv6Prefix.parse("10.0.0.0/8"));
    assertThatIllegalArgumentException().isThrownBy(() -> Ipv6Prefix.parse("fe80::/64x"));
  }

  @Test
  void containsOnlyLongerPrefixesInside() {
    Ipv6Prefix pool = Ipv6Prefix.parse("2001:db8:100::/48");

    assertThat(pool.contains(Ipv6Prefix.parse("2001:db8:100:fff0::/60"))).isTrue();
    assertThat(pool.contains(pool)).isTrue();
    assertThat(pool.contains(Ipv6Prefix.parse("2001:db8:101::/60"))).isFalse();
    assertThat(pool.contains(Ipv6Prefix.parse("2001:db8::/32"))).isFalse();
  }

  @Test
  void numbersSubPrefixesFromZero() {
    Ipv6Prefix pool = Ipv6Prefix.parse("2001:db8:100::/48");

    assertThat(pool.subPrefix(60, BigInteger.ONE)).hasToString("2001:db8:100:10::/60");
    assertThat(pool.subPrefix(60, BigInteger.valueOf(4095))).hasToString("2001:db8:100:fff0::/60");
    assertThatIllegalArgumentException().isThrownBy(() -> pool.subPrefix(60, BigInteger.valueOf(4096)));
    assertThatIllegalArgumentException().isThrownBy(() -> pool.subPrefix(40, BigInteger.ZERO));
  }

  @Test
  void equalsByValueAndOrdersByAddressThenLength() {
    assertThat(Ipv6Prefix.parse("2001:db8::/48")).isEqualTo(Ipv6Prefix.parse("2001:0db8:0::/48"))
        .isLessThan(Ipv6Prefix.parse("2001:db8::/56"))
        .isLessThan(Ipv6Prefix.parse("2001:db8:1::/48"));
  }
}
