package io.kubepd.operator.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class PrefixClaimsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Claim claim(String lease, long createdSecond, String prefix) {
    return new Claim(lease, T0.plusSeconds(createdSecond), Ipv6Prefix.parse(prefix), Optional.empty());
  }

  @Test
  void findsAncestorsDescendantsAndEqualPrefixes() {
    PrefixClaims claims = new PrefixClaims();
    claims.put(claim("wide", 0, "2001:db8::/32"));
    claims.put(claim("same", 1, "2001:db8:0:100::/56"));
    claims.put(claim("inside", 2, "2001:db8:0:1ff::/64"));
    claims.put(claim("beside", 3, "2001:db8:0:200::/56"));
    claims.put(claim("elsewhere", 4, "2001:db9::/32"));
    assertThat(claims.overlapping(Ipv6Prefix.parse("2001:db8:0:100::/56")))
        .extracting(Claim::lease).containsExactlyInAnyOrder("wide", "same", "inside");
    assertThat(claims.overlapping(Ipv6Prefix.parse("::/0"))).hasSize(5);
  }

  @Test
  void theOlderClaimWinsThenTheName() {
    PrefixClaims claims = new PrefixClaims();
    Claim a = claim("a", 10, "2001:db8::/56");
    Claim b = claim("b", 10, "2001:db8::/60");
    Claim c = claim("c", 5, "2001:db8::/64");
    claims.put(a);
    claims.put(b);
    claims.put(c);
    assertThat(claims.earlierOverlapping(c, T0)).isEmpty();
    assertThat(claims.earlierOverlapping(a, T0)).containsExactly(c);
    assertThat(claims.earlierOverlapping(b, T0)).containsExactly(c, a);
  }

  @Test
  void expiredClaimsDoNotWin() {
    PrefixClaims claims = new PrefixClaims();
    Claim old = new Claim("old", T0, Ipv6Prefix.parse("2001:db8::/56"), Optional.of(T0.plusSeconds(60)));
    Claim next = claim("new", 30, "2001:db8::/56");
    claims.put(old);
    claims.put(next);
    assertThat(claims.earlierOverlapping(next, T0.plusSeconds(59))).containsExactly(old);
    assertThat(claims.earlierOverlapping(next, T0.plusSeconds(60))).isEmpty();
  }

  @Test
  void replacingAndRemovingReturnThePreviousClaim() {
    PrefixClaims claims = new PrefixClaims();
    Claim first = claim("a", 0, "2001:db8::/56");
    Claim moved = claim("a", 0, "2001:db8:1::/56");
    assertThat(claims.put(first)).isEmpty();
    assertThat(claims.put(moved)).contains(first);
    assertThat(claims.overlapping(first.prefix())).isEmpty();
    assertThat(claims.overlapping(moved.prefix())).containsExactly(moved);
    assertThat(claims.remove("a")).contains(moved);
    assertThat(claims.remove("a")).isEmpty();
    assertThat(claims.size()).isZero();
  }

  @Property(tries = 200)
  void overlappingFindsExactlyWhatAScanFinds(
      @ForAll("claimSets") List<Ipv6Prefix> prefixes, @ForAll("clustered") Ipv6Prefix query) {
    PrefixClaims claims = new PrefixClaims();
    Map<String, Ipv6Prefix> all = new HashMap<>();
    for (int i = 0; i < prefixes.size(); i++) {
      claims.put(new Claim("l" + i, T0, prefixes.get(i), Optional.empty()));
      all.put("l" + i, prefixes.get(i));
    }
    // Remove some again, so the index is also checked after removals.
    for (int i = 0; i < prefixes.size(); i += 3) {
      claims.remove("l" + i);
      all.remove("l" + i);
    }
    List<String> expected = new ArrayList<>();
    all.forEach((lease, prefix) -> {
      if (prefix.overlaps(query)) {
        expected.add(lease);
      }
    });
    assertThat(claims.overlapping(query)).extracting(Claim::lease).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Provide
  Arbitrary<List<Ipv6Prefix>> claimSets() {
    return clustered().list().ofMaxSize(40);
  }

  /** Prefixes in a small corner of the address space, so that overlaps are common. */
  @Provide
  Arbitrary<Ipv6Prefix> clustered() {
    Arbitrary<Integer> group = Arbitraries.integers().between(0, 3);
    Arbitrary<Integer> length = Arbitraries.oneOf(Arbitraries.integers().between(0, 128),
        Arbitraries.of(32, 46, 47, 48, 62, 63, 64));
    return net.jqwik.api.Combinators.combine(group, group, group, length).as((a, b, c, len) ->
        Ipv6Prefix.parse("2001:db8:" + a + ":" + b + ":" + c + "::/128").truncateTo(len));
  }
}
