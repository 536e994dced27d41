package io.kubepd.operator.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.operator.allocation.Allocation.Outcome;
import io.kubepd.operator.allocation.LeaseTerms.ClientState;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AllocatorTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Ipv6Prefix P56 = Ipv6Prefix.parse("2001:db8:0:100::/56");

  private static LeaseTerms terms(Ipv6Prefix prefix, List<DrainingTerm> draining) {
    return new LeaseTerms(prefix, Optional.empty(), ClientState.HOLDING, Optional.of(NOW.plus(Duration.ofHours(1))),
        draining);
  }

  private static Ipv6Prefix p(String text) {
    return Ipv6Prefix.parse(text);
  }

  @Test
  void defaultPolicyCarvesTheFirstSlash64AndPlansAnyIpRoutes() {
    Allocation a = Allocator.allocate(terms(P56, List.of()), CarvingPolicy.DEFAULT, List.of(), NOW);
    assertThat(a.outcome()).isEqualTo(Outcome.READY);
    assertThat(a.reason()).isEqualTo(Allocator.ALLOCATED);
    assertThat(a.podCidr()).contains(p("2001:db8:0:100::/64"));
    assertThat(a.routes()).containsExactly(
        new Route(Route.Kind.LOCAL, p("2001:db8:0:100::/64"), Optional.empty()),
        new Route(Route.Kind.UNREACHABLE, P56, Optional.empty()));
    assertThat(a.reviewAt()).contains(NOW.plus(Duration.ofHours(1)));
    assertThat(a.message()).isEqualTo(
        "pod CIDR 2001:db8:0:100::/64 is /64 number 0 of 2001:db8:0:100::/56; 2 route(s) planned");
  }

  @Test
  void subPrefixesGetLocalRoutesToo() {
    CarvingPolicy policy = new CarvingPolicy(64, 1,
        List.of(new SubPrefixRequest("loadbalancer", 80, 0), new SubPrefixRequest("ingress", 64, 2)),
        RoutePlanMode.ANY_IP);
    Allocation a = Allocator.allocate(terms(P56, List.of()), policy, List.of(), NOW);
    assertThat(a.podCidr()).contains(p("2001:db8:0:101::/64"));
    assertThat(a.subPrefixes()).containsExactly(
        new NamedSubPrefix("loadbalancer", p("2001:db8:0:100::/80")),
        new NamedSubPrefix("ingress", p("2001:db8:0:102::/64")));
    assertThat(a.routes()).extracting(Route::kind, r -> r.destination().toString()).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Route.Kind.LOCAL, "2001:db8:0:101::/64"),
        org.assertj.core.groups.Tuple.tuple(Route.Kind.LOCAL, "2001:db8:0:100::/80"),
        org.assertj.core.groups.Tuple.tuple(Route.Kind.LOCAL, "2001:db8:0:102::/64"),
        org.assertj.core.groups.Tuple.tuple(Route.Kind.UNREACHABLE, "2001:db8:0:100::/56"));
  }

  @Test
  void routeModesReduceThePlan() {
    CarvingPolicy unreachableOnly = new CarvingPolicy(64, 0, List.of(), RoutePlanMode.UNREACHABLE_ONLY);
    assertThat(Allocator.allocate(terms(P56, List.of()), unreachableOnly, List.of(), NOW).routes())
        .containsExactly(new Route(Route.Kind.UNREACHABLE, P56, Optional.empty()));
    CarvingPolicy none = new CarvingPolicy(64, 0, List.of(), RoutePlanMode.NONE);
    Allocation a = Allocator.allocate(terms(P56, List.of()), none, List.of(), NOW);
    assertThat(a.routes()).isEmpty();
    assertThat(a.podCidr()).contains(p("2001:db8:0:100::/64"));
  }

  @Test
  void podPrefixShorterThanTheDelegatedPrefixIsInvalid() {
    CarvingPolicy policy = new CarvingPolicy(48, 0, List.of(), RoutePlanMode.ANY_IP);
    Allocation a = Allocator.allocate(terms(P56, List.of()), policy, List.of(), NOW);
    assertThat(a.outcome()).isEqualTo(Outcome.INVALID);
    assertThat(a.reason()).isEqualTo(Allocator.PREFIX_LENGTH_TOO_SHORT);
    assertThat(a.message()).isEqualTo("the pod prefix /48 is larger than the delegated prefix 2001:db8:0:100::/56: "
        + "set podPrefixLength to 56 or more, or ask the DHCPv6 server for a larger prefix");
    assertThat(a.podCidr()).isEmpty();
    assertThat(a.routes()).isEmpty();
  }

  @Test
  void indexOutOfRangeIsInvalid() {
    CarvingPolicy policy = new CarvingPolicy(64, 256, List.of(), RoutePlanMode.ANY_IP);
    Allocation a = Allocator.allocate(terms(P56, List.of()), policy, List.of(), NOW);
    assertThat(a.outcome()).isEqualTo(Outcome.INVALID);
    assertThat(a.reason()).isEqualTo(Allocator.INDEX_OUT_OF_RANGE);
    assertThat(a.message()).isEqualTo(
        "subPrefixIndex 256 is out of range: 2001:db8:0:100::/56 holds 256 /64 prefixes (indexes 0 to 255)");
    assertThat(a.reviewAt()).contains(NOW.plus(Duration.ofHours(1)));
  }

  @Test
  void lengthsOutsideIpv6AreInvalid() {
    CarvingPolicy policy = new CarvingPolicy(200, 0, List.of(), RoutePlanMode.ANY_IP);
    Allocation a = Allocator.allocate(terms(P56, List.of()), policy, List.of(), NOW);
    assertThat(a.reason()).isEqualTo(Allocator.LENGTH_OUT_OF_RANGE);
    assertThat(a.message()).contains("/200 is not an IPv6 prefix length");
  }

  @Test
  void overlappingSubPrefixesAreInvalid() {
    CarvingPolicy overPod = new CarvingPolicy(64, 0, List.of(new SubPrefixRequest("lb", 80, 0)),
        RoutePlanMode.ANY_IP);
    Allocation a = Allocator.allocate(terms(P56, List.of()), overPod, List.of(), NOW);
    assertThat(a.outcome()).isEqualTo(Outcome.INVALID);
    assertThat(a.reason()).isEqualTo(Allocator.SUB_PREFIXES_OVERLAP);
    assertThat(a.message()).isEqualTo("sub-prefix lb 2001:db8:0:100::/80 overlaps the pod CIDR 2001:db8:0:100::/64: "
        + "give it another index or length");
    CarvingPolicy overEachOther = new CarvingPolicy(64, 0,
        List.of(new SubPrefixRequest("a", 60, 1), new SubPrefixRequest("b", 64, 17)), RoutePlanMode.ANY_IP);
    assertThat(Allocator.allocate(terms(P56, List.of()), overEachOther, List.of(), NOW).message())
        .startsWith("sub-prefix b 2001:db8:0:111::/64 overlaps sub-prefix a 2001:db8:0:110::/60");
    CarvingPolicy subOutOfRange = new CarvingPolicy(64, 0, List.of(new SubPrefixRequest("lb", 64, 300)),
        RoutePlanMode.ANY_IP);
    assertThat(Allocator.allocate(terms(P56, List.of()), subOutOfRange, List.of(), NOW).message())
        .startsWith("sub-prefix lb's index 300 is out of range");
  }

  @Test
  void aPrefixAsLongAsThePodPrefixIsUsedWhole() {
    Ipv6Prefix p64 = p("2001:db8:0:1::/64");
    Allocation a = Allocator.allocate(terms(p64, List.of()), CarvingPolicy.DEFAULT, List.of(), NOW);
    assertThat(a.podCidr()).contains(p64);
    assertThat(a.routes()).containsExactly(new Route(Route.Kind.LOCAL, p64, Optional.empty()),
        new Route(Route.Kind.UNREACHABLE, p64, Optional.empty()));
    Ipv6Prefix host = p("2001:db8::1/128");
    CarvingPolicy slash128 = new CarvingPolicy(128, 0, List.of(), RoutePlanMode.ANY_IP);
    assertThat(Allocator.allocate(terms(host, List.of()), slash128, List.of(), NOW).podCidr()).contains(host);
  }

  @Test
  void aPodCidrOffANibbleBoundaryIsNotedInTheMessage() {
    CarvingPolicy policy = new CarvingPolicy(62, 1, List.of(), RoutePlanMode.ANY_IP);
    assertThat(Allocator.allocate(terms(P56, List.of()), policy, List.of(), NOW).message())
        .endsWith("Note: it is not on a nibble boundary, so its reverse DNS can only be delegated as part of "
            + "2001:db8:0:100::/60");
  }

  @Test
  void anExpiredLeaseGetsNothing() {
    LeaseTerms expired = new LeaseTerms(P56, Optional.empty(), ClientState.HOLDING, Optional.of(NOW), List.of());
    Allocation a = Allocator.allocate(expired, CarvingPolicy.DEFAULT, List.of(), NOW);
    assertThat(a.outcome()).isEqualTo(Outcome.EXPIRED);
    assertThat(a.reason()).isEqualTo(Allocator.VALID_LIFETIME_ENDED);
    assertThat(a.routes()).isEmpty();
    assertThat(a.podCidr()).isEmpty();
    assertThat(a.reviewAt()).isEmpty();
    assertThat(a.message()).contains("ended at 2026-01-01T00:00:00Z without renewal");
    // one instant earlier it is still valid
    assertThat(Allocator.allocate(expired, CarvingPolicy.DEFAULT, List.of(), NOW.minusMillis(1)).outcome())
        .isEqualTo(Outcome.READY);
  }

  @Test
  void clientStatesEndTheAllocation() {
    LeaseTerms released = new LeaseTerms(P56, Optional.empty(), ClientState.RELEASED, Optional.empty(), List.of());
    assertThat(Allocator.allocate(released, CarvingPolicy.DEFAULT, List.of(), NOW).reason())
        .isEqualTo(Allocator.RELEASED);
    LeaseTerms expired = new LeaseTerms(P56, Optional.empty(), ClientState.EXPIRED, Optional.empty(), List.of());
    assertThat(Allocator.allocate(expired, CarvingPolicy.DEFAULT, List.of(), NOW).outcome())
        .isEqualTo(Outcome.EXPIRED);
    LeaseTerms infinite = new LeaseTerms(P56, Optional.empty(), ClientState.HOLDING, Optional.empty(), List.of());
    Allocation a = Allocator.allocate(infinite, CarvingPolicy.DEFAULT, List.of(), NOW.plus(Duration.ofDays(9999)));
    assertThat(a.outcome()).isEqualTo(Outcome.READY);
    assertThat(a.reviewAt()).isEmpty();
  }

  @Test
  void aLaterOverlappingLeaseIsInConflictNamingBoth() {
    Claim winner = new Claim("node-a-eth0", NOW.minusSeconds(60), p("2001:db8::/48"),
        Optional.of(NOW.plusSeconds(30)));
    Allocation a = Allocator.allocate(terms(P56, List.of()), CarvingPolicy.DEFAULT, List.of(winner), NOW);
    assertThat(a.outcome()).isEqualTo(Outcome.CONFLICT);
    assertThat(a.reason()).isEqualTo(Allocator.PREFIX_OVERLAP);
    assertThat(a.message()).startsWith(
        "2001:db8:0:100::/56 overlaps 2001:db8::/48 of PrefixLease node-a-eth0, which is older;");
    assertThat(a.routes()).isEmpty();
    assertThat(a.podCidr()).isEmpty();
    // reviewed when the winner's lifetime ends, which may end the conflict
    assertThat(a.reviewAt()).contains(NOW.plusSeconds(30));
  }

  @Test
  void drainingPrefixesKeepTheirRoutesUntilTheyExpire() {
    Ipv6Prefix old = p("2001:db8:0:200::/56");
    Instant oldEnd = NOW.plusSeconds(90);
    Allocation a = Allocator.allocate(terms(P56, List.of(new DrainingTerm(old, oldEnd))), CarvingPolicy.DEFAULT,
        List.of(), NOW);
    assertThat(a.outcome()).isEqualTo(Outcome.READY);
    assertThat(a.draining())
        .containsExactly(new Drain(old, Optional.empty(), Optional.of(p("2001:db8:0:200::/64")), oldEnd));
    assertThat(a.routes()).containsExactly(
        new Route(Route.Kind.LOCAL, p("2001:db8:0:100::/64"), Optional.empty()),
        new Route(Route.Kind.UNREACHABLE, P56, Optional.empty()),
        new Route(Route.Kind.LOCAL, p("2001:db8:0:200::/64"), Optional.of(oldEnd)),
        new Route(Route.Kind.UNREACHABLE, old, Optional.of(oldEnd)));
    assertThat(a.reviewAt()).contains(oldEnd);
    assertThat(a.message()).endsWith("4 route(s) planned, 1 renumbered prefix(es) draining");

    Allocation after = Allocator.allocate(terms(P56, List.of(new DrainingTerm(old, oldEnd))),
        CarvingPolicy.DEFAULT, List.of(), oldEnd);
    assertThat(after.draining()).isEmpty();
    assertThat(after.routes()).hasSize(2);
    assertThat(after.reviewAt()).contains(NOW.plus(Duration.ofHours(1)));
  }

  @Test
  void aDrainingPrefixOverlappingTheNewOneDoesNotDuplicateRoutes() {
    // renumbered from a /48 to the /56 at its start: both carve the same /64
    Ipv6Prefix old = p("2001:db8::/48");
    Ipv6Prefix current = p("2001:db8::/56");
    Instant oldEnd = NOW.plusSeconds(90);
    Allocation a = Allocator.allocate(terms(current, List.of(new DrainingTerm(old, oldEnd))),
        CarvingPolicy.DEFAULT, List.of(), NOW);
    assertThat(a.routes()).containsExactly(
        new Route(Route.Kind.LOCAL, p("2001:db8::/64"), Optional.empty()),
        new Route(Route.Kind.UNREACHABLE, current, Optional.empty()),
        new Route(Route.Kind.UNREACHABLE, old, Optional.of(oldEnd)));
  }

  @Test
  void aDrainingPrefixThePolicyCannotCarveStillGetsItsUnreachableRoute() {
    Ipv6Prefix old = p("2001:db8:0:200::/64");
    CarvingPolicy policy = new CarvingPolicy(64, 1, List.of(), RoutePlanMode.ANY_IP);
    Allocation a = Allocator.allocate(terms(P56, List.of(new DrainingTerm(old, NOW.plusSeconds(5)))), policy,
        List.of(), NOW);
    assertThat(a.draining()).containsExactly(new Drain(old, Optional.empty(), Optional.empty(), NOW.plusSeconds(5)));
    assertThat(a.routes()).contains(new Route(Route.Kind.UNREACHABLE, old, Optional.of(NOW.plusSeconds(5))));
  }

  @Test
  void aPlanKeepsTheLatestDrainsWithinItsBounds() {
    List<DrainingTerm> many = new java.util.ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      many.add(new DrainingTerm(p("2001:db8:" + Integer.toHexString(i) + "::/56"), NOW.plusSeconds(i)));
    }
    Allocation a = Allocator.allocate(terms(P56, many), CarvingPolicy.DEFAULT, List.of(), NOW);
    assertThat(a.draining()).hasSize(Allocator.MAX_DRAINING);
    assertThat(a.routes()).hasSizeLessThanOrEqualTo(Allocator.MAX_ROUTES);
    assertThat(a.draining()).extracting(Drain::expiresAt).allMatch(t -> t.isAfter(NOW.plusSeconds(24)));
    assertThat(a.message()).endsWith("24 older draining prefix(es) left out: a plan holds at most 64 routes and 16 "
        + "drains");
    CarvingPolicy wide = new CarvingPolicy(64, 0, List.of(new SubPrefixRequest("a", 64, 1),
        new SubPrefixRequest("b", 64, 2), new SubPrefixRequest("c", 64, 3), new SubPrefixRequest("d", 64, 4),
        new SubPrefixRequest("e", 64, 5), new SubPrefixRequest("f", 64, 6), new SubPrefixRequest("g", 64, 7),
        new SubPrefixRequest("h", 64, 8)), RoutePlanMode.ANY_IP);
    Allocation full = Allocator.allocate(terms(P56, many), wide, List.of(), NOW);
    assertThat(full.routes()).hasSize(60); // 10 routes per prefix: the current one and 5 drains
    assertThat(full.draining()).hasSize(5);
  }

  private static LeaseTerms excluding(String excluded, List<DrainingTerm> draining) {
    return new LeaseTerms(P56, Optional.of(p(excluded)), ClientState.HOLDING,
        Optional.of(NOW.plus(Duration.ofHours(1))), draining);
  }

  private static List<String> destinations(Allocation a, Route.Kind kind) {
    return a.routes().stream().filter(r -> r.kind() == kind).map(r -> r.destination().toString()).toList();
  }

  @Test
  void anExcludedPodSlotMovesThePodCidrToTheNextSlash64AndTheUnreachableRoutesGoAroundIt() {
    Ipv6Prefix excluded = p("2001:db8:0:100::/64");
    Allocation a = Allocator.allocate(excluding("2001:db8:0:100::/64", List.of()), CarvingPolicy.DEFAULT, List.of(),
        NOW);
    assertThat(a.outcome()).isEqualTo(Outcome.READY);
    assertThat(a.podCidr()).contains(p("2001:db8:0:101::/64"));
    assertThat(destinations(a, Route.Kind.LOCAL)).containsExactly("2001:db8:0:101::/64");
    // 2001:db8:0:100::/56 without its first /64: one prefix per bit from /57 to /64, in address order.
    assertThat(destinations(a, Route.Kind.UNREACHABLE)).containsExactly("2001:db8:0:101::/64",
        "2001:db8:0:102::/63", "2001:db8:0:104::/62", "2001:db8:0:108::/61", "2001:db8:0:110::/60",
        "2001:db8:0:120::/59", "2001:db8:0:140::/58", "2001:db8:0:180::/57");
    assertThat(a.routes()).noneMatch(r -> r.destination().overlaps(excluded));
    assertThat(a.message()).isEqualTo("pod CIDR 2001:db8:0:101::/64 is /64 number 1 of 2001:db8:0:100::/56 (number 0 "
        + "overlaps 2001:db8:0:100::/64, which the DHCPv6 server excluded for its link, RFC 6603); 9 route(s) planned");
  }

  @Test
  void anExclusionAwayFromTheCarvedPrefixesMovesNothing() {
    CarvingPolicy policy = new CarvingPolicy(64, 0, List.of(new SubPrefixRequest("lb", 64, 1)), RoutePlanMode.ANY_IP);
    Allocation a = Allocator.allocate(excluding("2001:db8:0:105::/64", List.of()), policy, List.of(), NOW);
    assertThat(a.podCidr()).contains(p("2001:db8:0:100::/64"));
    assertThat(a.subPrefixes()).containsExactly(new NamedSubPrefix("lb", p("2001:db8:0:101::/64")));
    assertThat(a.message()).startsWith("pod CIDR 2001:db8:0:100::/64 is /64 number 0 of 2001:db8:0:100::/56, with 1 "
        + "sub-prefix(es); 10 route(s) planned");
  }

  @Test
  void aMovedPrefixSkipsTheSlotsOfThoseThatStay() {
    CarvingPolicy policy = new CarvingPolicy(64, 0, List.of(new SubPrefixRequest("lb", 64, 1)), RoutePlanMode.ANY_IP);
    Allocation a = Allocator.allocate(excluding("2001:db8:0:100::/64", List.of()), policy, List.of(), NOW);
    // lb keeps number 1; the pod CIDR leaves number 0 for the next free one, number 2.
    assertThat(a.podCidr()).contains(p("2001:db8:0:102::/64"));
    assertThat(a.subPrefixes()).containsExactly(new NamedSubPrefix("lb", p("2001:db8:0:101::/64")));

    CarvingPolicy subs = new CarvingPolicy(64, 0,
        List.of(new SubPrefixRequest("lb", 64, 1), new SubPrefixRequest("ingress", 64, 2)), RoutePlanMode.ANY_IP);
    Allocation moved = Allocator.allocate(excluding("2001:db8:0:101::/64", List.of()), subs, List.of(), NOW);
    assertThat(moved.podCidr()).contains(p("2001:db8:0:100::/64"));
    assertThat(moved.subPrefixes()).containsExactly(new NamedSubPrefix("lb", p("2001:db8:0:103::/64")),
        new NamedSubPrefix("ingress", p("2001:db8:0:102::/64")));
    assertThat(moved.message()).contains("with 2 sub-prefix(es) (1 moved off 2001:db8:0:101::/64)");
  }

  @Test
  void aShorterExcludedPrefixIsSkippedWhole() {
    CarvingPolicy policy = new CarvingPolicy(64, 3, List.of(), RoutePlanMode.ANY_IP);
    Allocation a = Allocator.allocate(excluding("2001:db8:0:100::/60", List.of()), policy, List.of(), NOW);
    assertThat(a.podCidr()).contains(p("2001:db8:0:110::/64"));
    assertThat(a.message()).contains("is /64 number 16 of 2001:db8:0:100::/56 (number 3 overlaps");
    assertThat(destinations(a, Route.Kind.UNREACHABLE)).containsExactly("2001:db8:0:110::/60",
        "2001:db8:0:120::/59", "2001:db8:0:140::/58", "2001:db8:0:180::/57");
  }

  @Test
  void anExcludedHostRouteWidensTheHoleInTheUnreachableRoutesToKeepThePlanSmall() {
    Ipv6Prefix excluded = p("2001:db8:0:100::1/128");
    Allocation a = Allocator.allocate(excluding("2001:db8:0:100::1/128", List.of()), CarvingPolicy.DEFAULT,
        List.of(), NOW);
    assertThat(a.podCidr()).contains(p("2001:db8:0:101::/64"));
    List<Route> unreachable = a.routes().stream().filter(r -> r.kind() == Route.Kind.UNREACHABLE).toList();
    assertThat(unreachable).hasSize(Allocator.MAX_EXCLUSION_ROUTES);
    assertThat(a.routes()).noneMatch(r -> r.destination().overlaps(excluded));
    // What they leave out is the /88 around the excluded address: 2^(128-56) - 2^(128-88) addresses are covered.
    BigInteger covered = unreachable.stream()
        .map(r -> BigInteger.ONE.shiftLeft(128 - r.destination().length()))
        .reduce(BigInteger.ZERO, BigInteger::add);
    assertThat(covered).isEqualTo(BigInteger.ONE.shiftLeft(72).subtract(BigInteger.ONE.shiftLeft(40)));
  }

  @Test
  void unreachableOnlyPlansGoAroundTheExcludedPrefixToo() {
    CarvingPolicy policy = new CarvingPolicy(64, 0, List.of(), RoutePlanMode.UNREACHABLE_ONLY);
    Allocation a = Allocator.allocate(excluding("2001:db8:0:1fc::/62", List.of()), policy, List.of(), NOW);
    assertThat(destinations(a, Route.Kind.UNREACHABLE)).containsExactly("2001:db8:0:100::/57",
        "2001:db8:0:180::/58", "2001:db8:0:1c0::/59", "2001:db8:0:1e0::/60", "2001:db8:0:1f0::/61",
        "2001:db8:0:1f8::/62");
    assertThat(destinations(a, Route.Kind.LOCAL)).isEmpty();
  }

  @Test
  void noFreeSlotBesideTheExcludedPrefixIsInvalid() {
    CarvingPolicy whole = new CarvingPolicy(56, 0, List.of(), RoutePlanMode.ANY_IP);
    Allocation a = Allocator.allocate(excluding("2001:db8:0:100::/64", List.of()), whole, List.of(), NOW);
    assertThat(a.outcome()).isEqualTo(Outcome.INVALID);
    assertThat(a.reason()).isEqualTo(Allocator.EXCLUDED_PREFIX_LEAVES_NO_ROOM);
    assertThat(a.message()).isEqualTo("the pod prefix 2001:db8:0:100::/56 overlaps 2001:db8:0:100::/64, which the "
        + "DHCPv6 server excluded for its link (RFC 6603), and no later /56 of 2001:db8:0:100::/56 is free: set "
        + "subPrefixIndex lower or podPrefixLength longer");
    assertThat(a.routes()).isEmpty();
    assertThat(a.podCidr()).isEmpty();

    CarvingPolicy last = new CarvingPolicy(64, 0, List.of(new SubPrefixRequest("lb", 64, 255)),
        RoutePlanMode.ANY_IP);
    assertThat(Allocator.allocate(excluding("2001:db8:0:1ff::/64", List.of()), last, List.of(), NOW).message())
        .startsWith("sub-prefix lb 2001:db8:0:1ff::/64 overlaps 2001:db8:0:1ff::/64")
        .endsWith("set sub-prefix lb's index lower or sub-prefix lb's prefixLength longer");
  }

  @Test
  void aDrainingPrefixKeepsItsExcludedPrefix() {
    Ipv6Prefix old = p("2001:db8:0:200::/56");
    Optional<Ipv6Prefix> oldExcluded = Optional.of(p("2001:db8:0:200::/64"));
    Instant oldEnd = NOW.plusSeconds(90);
    Allocation a = Allocator.allocate(terms(P56, List.of(new DrainingTerm(old, oldEnd, oldExcluded))),
        CarvingPolicy.DEFAULT, List.of(), NOW);
    assertThat(a.draining()).containsExactly(
        new Drain(old, oldExcluded, Optional.of(p("2001:db8:0:201::/64")), oldEnd));
    assertThat(a.routes()).contains(new Route(Route.Kind.LOCAL, p("2001:db8:0:201::/64"), Optional.of(oldEnd)));
    assertThat(a.routes()).noneMatch(r -> r.destination().overlaps(oldExcluded.get()));
    assertThat(a.routes()).filteredOn(r -> old.contains(r.destination())).hasSize(9);
  }

  @Test
  void theSameInputsGiveTheSameAllocation() {
    LeaseTerms t = terms(P56, List.of(new DrainingTerm(p("2001:db8:0:300::/56"), NOW.plusSeconds(9))));
    CarvingPolicy policy = new CarvingPolicy(60, 3, List.of(new SubPrefixRequest("lb", 64, 0)),
        RoutePlanMode.ANY_IP);
    assertThat(Allocator.allocate(t, policy, List.of(), NOW)).isEqualTo(Allocator.allocate(t, policy, List.of(), NOW));
  }
}
