package io.kubepd.agent.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv6CidrTest {

  @ParameterizedTest
  @CsvSource({
      "2001:db8:1::/64, 2001:db8:1::/64",
      "2001:0DB8:0001:0000:0000:0000:0000:0000/64, 2001:db8:1::/64",
      "2001:db8:0:1::/64, 2001:db8:0:1::/64",
      "2001:db8::1:0:0:1/128, 2001:db8::1:0:0:1/128",
      "2001:0:0:1:0:0:0:0/64, 2001:0:0:1::/64",
      "::/0, ::/0",
      "::1/128, ::1/128",
      "fe80::/10, fe80::/10"})
  void parsesAndPrintsInRfc5952Form(String text, String canonical) {
    assertThat(Ipv6Cidr.parse(text).toString()).isEqualTo(canonical);
  }

  @Test
  void comparesByValueWhateverTheSpelling() {
    assertThat(Ipv6Cidr.parse("2001:db8:1:0::/64")).isEqualTo(Ipv6Cidr.parse("2001:DB8:1::/64"))
        .hasSameHashCodeAs(Ipv6Cidr.parse("2001:db8:1::/64"));
    assertThat(Ipv6Cidr.parse("2001:db8:1::/64")).isNotEqualTo(Ipv6Cidr.parse("2001:db8:1::/56"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2001:db8::1/64", "2001:db8:1::/129", "2001:db8::", "10.0.0.0/8", "::ffff:10.0.0.0/104",
      "2001:db8::/x", "fe80::%eth0/64", "2001:db8::/-1", "host.example/64", "/64", "2001:db8::/"})
  void rejectsWhatIsNoIpv6Prefix(String text) {
    assertThatIllegalArgumentException().isThrownBy(() -> Ipv6Cidr.parse(text)).withMessageContaining(text.split("/")[0]);
  }

  @Test
  void containsItsSubPrefixesOnly() {
    Ipv6Cidr delegated = Ipv6Cidr.parse("2001:db8:100::/56");

    assertThat(delegated.contains(Ipv6Cidr.parse("2001:db8:100:ff::/64"))).isTrue();
    assertThat(delegated.contains(delegated)).isTrue();
    assertThat(delegated.contains(Ipv6Cidr.parse("2001:db8:101::/64"))).isFalse();
    assertThat(delegated.contains(Ipv6Cidr.parse("2001:db8::/48"))).isFalse();
  }
}
