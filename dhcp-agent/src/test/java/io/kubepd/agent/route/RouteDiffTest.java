package io.kubepd.agent.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RouteDiffTest {
  private static final KernelRoute OLD_ANYIP = KernelRoute.local(Ipv6Cidr.parse("2001:db8:100::/64"), "lo");
  private static final KernelRoute OLD_DELEGATED = KernelRoute.unreachable(Ipv6Cidr.parse("2001:db8:100::/56"));
  private static final KernelRoute NEW_ANYIP = KernelRoute.local(Ipv6Cidr.parse("2001:db8:200::/64"), "lo");
  private static final KernelRoute NEW_DELEGATED = KernelRoute.unreachable(Ipv6Cidr.parse("2001:db8:200::/56"));

  @Test
  void addsEverythingToAnEmptyTableInPlanOrder() {
    RouteDiff diff = RouteDiff.between(List.of(NEW_ANYIP, NEW_DELEGATED), List.of());

    assertThat(diff.changes()).containsExactly(RouteChange.add(NEW_ANYIP), RouteChange.add(NEW_DELEGATED));
    assertThat(diff.unchanged()).isZero();
  }

  @Test
  void changesNothingWhenTheTableMatches() {
    RouteDiff diff = RouteDiff.between(List.of(OLD_ANYIP, OLD_DELEGATED), List.of(OLD_DELEGATED, OLD_ANYIP));

    assertThat(diff.changes()).isEmpty();
    assertThat(diff.unchanged()).isEqualTo(2);
  }

  @Test
  void renumberingAddsTheNewRoutesBeforeRemovingTheOldOnes() {
    RouteDiff diff = RouteDiff.between(List.of(NEW_DELEGATED, NEW_ANYIP), List.of(OLD_DELEGATED, OLD_ANYIP));

    assertThat(diff.changes()).containsExactly(
        RouteChange.add(NEW_DELEGATED), RouteChange.add(NEW_ANYIP),
        // The covering unreachable route goes last: the old AnyIP addresses are never routed upstream meanwhile.
        RouteChange.delete(OLD_ANYIP), RouteChange.delete(OLD_DELEGATED));
  }

  @Test
  void replacesARouteOfOursInTheSameSlotInsteadOfDeletingIt() {
    KernelRoute onDummy = KernelRoute.local(OLD_ANYIP.destination(), "kubepd0");

    RouteDiff diff = RouteDiff.between(List.of(onDummy), List.of(OLD_ANYIP));

    assertThat(diff.changes()).containsExactly(RouteChange.replace(onDummy));
  }

  @Test
  void removesStaleRoutesOfAnyKind() {
    KernelRoute blackhole = new KernelRoute(RouteKind.of("blackhole"), Ipv6Cidr.parse("2001:db8:9::/64"), "lo", "main", 1024);

    RouteDiff diff = RouteDiff.between(List.of(NEW_ANYIP), List.of(blackhole, NEW_ANYIP));

    assertThat(diff.changes()).containsExactly(RouteChange.delete(blackhole));
    assertThat(diff.unchanged()).isOne();
  }

  @Test
  void anEmptyPlanWithdrawsEveryOwnedRoute() {
    RouteDiff diff = RouteDiff.between(List.of(), List.of(OLD_DELEGATED, OLD_ANYIP));

    assertThat(diff.changes()).containsExactly(RouteChange.delete(OLD_ANYIP), RouteChange.delete(OLD_DELEGATED));
  }

  @Test
  void keepsTheFirstOfTwoPlannedRoutesForOneSlotAndReportsTheOther() {
    KernelRoute onDummy = KernelRoute.local(NEW_ANYIP.destination(), "kubepd0");

    RouteDiff diff = RouteDiff.between(List.of(NEW_ANYIP, NEW_ANYIP, onDummy), List.of());

    assertThat(diff.changes()).containsExactly(RouteChange.add(NEW_ANYIP));
    assertThat(diff.conflicts()).singleElement().satisfies(f -> {
      assertThat(f.subject()).isEqualTo(onDummy.toString());
      assertThat(f.message()).startsWith("conflicts with local 2001:db8:200::/64 dev lo table local metric 2048");
    });
  }

  @Test
  void aLocalAndAnUnreachableRouteForTheSamePrefixLiveInDifferentTables() {
    KernelRoute unreachable = KernelRoute.unreachable(NEW_ANYIP.destination());

    RouteDiff diff = RouteDiff.between(List.of(NEW_ANYIP, unreachable), List.of());

    assertThat(diff.changes()).containsExactly(RouteChange.add(NEW_ANYIP), RouteChange.add(unreachable));
    assertThat(diff.conflicts()).isEmpty();
  }
}
