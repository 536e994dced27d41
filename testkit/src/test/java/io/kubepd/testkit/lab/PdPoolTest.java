package io.kubepd.testkit.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class PdPoolTest {
  @Test
  void firstAndLastDelegatedPrefixes() {
    PdPool pool = PdPool.of("2001:db8:200::/48", 56);

    assertThat(pool.first()).hasToString("2001:db8:200::/56");
    assertThat(pool.last()).hasToString("2001:db8:200:ff00::/56");
  }

  @Test
  void delegatesOnlyPrefixesOfItsLengthInside() {
    PdPool pool = PdPool.of("2001:db8:100::/48", 60);

    assertThat(pool.delegates(Ipv6Prefix.parse("2001:db8:100:30::/60"))).isTrue();
    assertThat(pool.delegates(Ipv6Prefix.parse("2001:db8:100:100::/56"))).isFalse();
    assertThat(pool.delegates(Ipv6Prefix.parse("2001:db8:200::/60"))).isFalse();
  }

  @Test
  void anExcludedPrefixRepeatsInEveryDelegatedPrefix() {
    PdPool pool = PdPool.of("2001:db8:100::/48", 56).excluding("2001:db8:100:c::/62");

    assertThat(pool.excludedFrom(pool.first())).contains(Ipv6Prefix.parse("2001:db8:100:c::/62"));
    assertThat(pool.excludedFrom(Ipv6Prefix.parse("2001:db8:100:ab00::/56")))
        .contains(Ipv6Prefix.parse("2001:db8:100:ab0c::/62"));
    assertThat(PdPool.of("2001:db8:100::/48", 56).excludedFrom(pool.first())).isEmpty();
    assertThatIllegalArgumentException().isThrownBy(() -> pool.excluding("2001:db8:100:100::/64"))
        .withMessage("excluded prefix 2001:db8:100:100::/64 must be a longer prefix inside 2001:db8:100::/56");
    assertThatIllegalArgumentException().isThrownBy(() -> pool.excluding("2001:db8:100::/56"));
  }

  @Test
  void delegatedLengthMustNotBeShorterThanThePool() {
    assertThatIllegalArgumentException().isThrownBy(() -> PdPool.of("2001:db8:100::/48", 40));
  }
}
