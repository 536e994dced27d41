package io.kubepd.operator.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.operator.allocation.LeaseTerms.ClientState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of allocation around a prefix the delegating router excluded (RFC 6603). */
class AllocatorPropertiesTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  /** A delegated prefix, the prefix excluded from it, and a policy, all within a few bits of each other. */
  record Case(Ipv6Prefix delegated, Ipv6Prefix excluded, CarvingPolicy policy) {}

  @Property
  void nothingCarvedOrRoutedOverlapsTheExcludedPrefix(@ForAll("cases") Case c) {
    for (RoutePlanMode mode : RoutePlanMode.values()) {
      CarvingPolicy policy = new CarvingPolicy(c.policy().podPrefixLength(), c.policy().podIndex(),
          c.policy().subPrefixes(), mode);
      Allocation a = Allocator.allocate(terms(c, Optional.of(c.excluded())), policy, List.of(), NOW);
      List<Ipv6Prefix> carved = new ArrayList<>();
      a.podCidr().ifPresent(carved::add);
      a.subPrefixes().forEach(s -> carved.add(s.prefix()));
      for (int i = 0; i < carved.size(); i++) {
        assertThat(carved.get(i).overlaps(c.excluded())).as("%s in %s", carved.get(i), a).isFalse();
        assertThat(c.delegated().contains(carved.get(i))).isTrue();
        for (int j = i + 1; j < carved.size(); j++) {
          assertThat(carved.get(i).overlaps(carved.get(j))).as("%s", a).isFalse();
        }
      }
      assertThat(a.routes()).noneMatch(r -> r.destination().overlaps(c.excluded()));
      assertThat(a.routes()).hasSizeLessThanOrEqualTo(Allocator.MAX_ROUTES);
      if (a.outcome() == Allocation.Outcome.READY && mode != RoutePlanMode.NONE) {
        assertThat(a.routes()).anyMatch(r -> r.kind() == Route.Kind.UNREACHABLE);
      }
    }
  }

  @Property
  void prefixesAwayFromTheExclusionKeepTheirSlots(@ForAll("cases") Case c) {
    Allocation without = Allocator.allocate(terms(c, Optional.empty()), c.policy(), List.of(), NOW);
    Allocation with = Allocator.allocate(terms(c, Optional.of(c.excluded())), c.policy(), List.of(), NOW);
    if (without.outcome() != Allocation.Outcome.READY || with.outcome() != Allocation.Outcome.READY) {
      return;
    }
    if (!without.podCidr().orElseThrow().overlaps(c.excluded())) {
      assertThat(with.podCidr()).isEqualTo(without.podCidr());
    }
    for (int i = 0; i < without.subPrefixes().size(); i++) {
      if (!without.subPrefixes().get(i).prefix().overlaps(c.excluded())) {
        assertThat(with.subPrefixes().get(i)).isEqualTo(without.subPrefixes().get(i));
      }
    }
  }

  @Property
  void aPolicyThatFitsOnlyFailsForWantOfRoom(@ForAll("cases") Case c) {
    Allocation without = Allocator.allocate(terms(c, Optional.empty()), c.policy(), List.of(), NOW);
    Allocation with = Allocator.allocate(terms(c, Optional.of(c.excluded())), c.policy(), List.of(), NOW);
    if (without.outcome() == Allocation.Outcome.READY && with.outcome() != Allocation.Outcome.READY) {
      assertThat(with.reason()).as(with.message()).isEqualTo(Allocator.EXCLUDED_PREFIX_LEAVES_NO_ROOM);
    }
  }

  private static LeaseTerms terms(Case c, Optional<Ipv6Prefix> excluded) {
    return new LeaseTerms(c.delegated(), excluded, ClientState.HOLDING, Optional.empty(), List.of());
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Integer> delegatedLength = Arbitraries.of(40, 48, 56, 60, 62, 64);
    Arbitrary<Long> bits = Arbitraries.longs();
    return Combinators.combine(delegatedLength, bits, Arbitraries.integers().between(1, 72),
        Arbitraries.integers().between(0, 10), Arbitraries.longs().between(0, 1 << 10),
        subPrefixes()).as((length, raw, excludedBy, podBy, podIndex, subs) -> {
          Ipv6Prefix delegated = Ipv6Prefix.parse("2001:db8::/32").subPrefix(length, Math.floorMod(raw,
              1L << (length - 32)));
          int excludedLength = Math.min(128, length + excludedBy);
          Ipv6Prefix excluded = delegated.subPrefix(excludedLength,
              Math.floorMod(raw * 31 + excludedLength, 1L << Math.min(62, excludedLength - length)));
          int podLength = Math.min(128, length + podBy);
          long index = podIndex % (1L << Math.min(62, podLength - length));
          List<SubPrefixRequest> fitting = subs.stream()
              .map(s -> new SubPrefixRequest(s.name(), Math.min(128, length + s.length()),
                  s.index() % (1L << Math.min(62, Math.min(128, length + s.length()) - length))))
              .toList();
          return new Case(delegated, excluded, new CarvingPolicy(podLength, index, fitting, RoutePlanMode.ANY_IP));
        });
  }

  /** Sub-prefix requests whose length is relative to the delegated prefix's. */
  private static Arbitrary<List<SubPrefixRequest>> subPrefixes() {
    Arbitrary<SubPrefixRequest> one = Combinators.combine(Arbitraries.of("lb", "ingress", "dns"),
        Arbitraries.integers().between(0, 10), Arbitraries.longs().between(0, 1 << 10))
        .as(SubPrefixRequest::new);
    return one.list().ofMaxSize(3).uniqueElements(SubPrefixRequest::name);
  }
}
