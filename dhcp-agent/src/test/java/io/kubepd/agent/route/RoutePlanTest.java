package io.kubepd.agent.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.crd.v1alpha1.PlannedRoute;
import io.kubepd.crd.v1alpha1.RouteType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutePlanTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

  @Test
  void translatesTheOperatorsPlan() {
    RoutePlan plan = RoutePlan.fromStatus(List.of(
        new PlannedRoute(RouteType.Local, "2001:db8:200::/64", "lo", null),
        new PlannedRoute(RouteType.Unreachable, "2001:db8:200::/56", null, null),
        new PlannedRoute(RouteType.Local, "2001:db8:100::/64", null, "2025-03-01T13:00:00+01:00")));

    assertThat(plan.rejected()).isEmpty();
    assertThat(plan.routes()).containsExactly(
        new RoutePlan.Entry(KernelRoute.local(Ipv6Cidr.parse("2001:db8:200::/64"), "lo"), null),
        new RoutePlan.Entry(KernelRoute.unreachable(Ipv6Cidr.parse("2001:db8:200::/56")), null),
        new RoutePlan.Entry(KernelRoute.local(Ipv6Cidr.parse("2001:db8:100::/64"), "lo"), NOW));
  }

  @Test
  void dropsADrainingRouteAtItsExpiry() {
    RoutePlan plan = RoutePlan.fromStatus(List.of(
        new PlannedRoute(RouteType.Local, "2001:db8:200::/64", "lo", null),
        new PlannedRoute(RouteType.Local, "2001:db8:100::/64", "lo", "2025-03-01T12:00:00Z")));

    assertThat(plan.activeAt(NOW.minusNanos(1))).hasSize(2);
    assertThat(plan.nextExpiryAfter(NOW.minusNanos(1))).contains(NOW);
    assertThat(plan.activeAt(NOW)).extracting(r -> r.destination().toString()).containsExactly("2001:db8:200::/64");
    assertThat(plan.expiredAt(NOW)).isOne();
    assertThat(plan.nextExpiryAfter(NOW)).isEmpty();
  }

  @Test
  void rejectsInvalidEntriesOneByOneAndKeepsTheRest() {
    RoutePlan plan = RoutePlan.fromStatus(List.of(
        new PlannedRoute(RouteType.Local, "2001:db8:200::1/64", "lo", null),
        new PlannedRoute(RouteType.Unreachable, "::/0", null, null),
        new PlannedRoute(RouteType.Local, "2001:db8:300::/64", "lo", "tomorrow"),
        new PlannedRoute(RouteType.Local, "2001:db8:400::/64", "my device", null),
        new PlannedRoute(null, "2001:db8:500::/64", null, null),
        new PlannedRoute(RouteType.Unreachable, "2001:db8:200::/56", null, null)));

    assertThat(plan.routes()).extracting(e -> e.route().toString())
        .containsExactly("unreachable 2001:db8:200::/56 dev lo table main metric 2048");
    assertThat(plan.rejected()).extracting(RouteFailure::message).satisfiesExactly(
        m -> assertThat(m).contains("host bits set"),
        m -> assertThat(m).contains("refusing a route for ::/0"),
        m -> assertThat(m).contains("expiresAt 'tomorrow' is not an RFC 3339 time"),
        m -> assertThat(m).contains("not a Linux interface name: 'my device'"),
        m -> assertThat(m).contains("type and destination are required"));
  }

  @Test
  void aMissingRouteListIsAnEmptyPlan() {
    assertThat(RoutePlan.fromStatus(null)).isEqualTo(RoutePlan.empty());
  }
}
