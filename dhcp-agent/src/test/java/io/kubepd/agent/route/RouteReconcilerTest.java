package io.kubepd.agent.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.crd.v1alpha1.PlannedRoute;
import io.kubepd.crd.v1alpha1.RouteType;
import io.kubepd.testkit.lab.Poll;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouteReconcilerTest {
  private static final Instant START = Instant.parse("2025-03-01T12:00:00Z");
  private static final KernelRoute OLD_ANYIP = KernelRoute.local(Ipv6Cidr.parse("2001:db8:100::/64"), "lo");
  private static final KernelRoute OLD_DELEGATED = KernelRoute.unreachable(Ipv6Cidr.parse("2001:db8:100::/56"));
  private static final KernelRoute NEW_ANYIP = KernelRoute.local(Ipv6Cidr.parse("2001:db8:200::/64"), "lo");
  private static final KernelRoute NEW_DELEGATED = KernelRoute.unreachable(Ipv6Cidr.parse("2001:db8:200::/56"));

  private final InMemoryRouteTable kernel = new InMemoryRouteTable();
  private final MutableClock clock = new MutableClock(START);
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  private RouteReconciler.Builder reconciler() {
    return RouteReconciler.builder(kernel).clock(clock).scheduler(scheduler);
  }

  @Test
  void applyingTheSamePlanTwiceChangesNothingTheSecondTime() {
    try (RouteReconciler routes = reconciler().build()) {
      ReconcileResult first = routes.apply(RoutePlan.of(OLD_ANYIP, OLD_DELEGATED));
      ReconcileResult second = routes.apply(RoutePlan.of(OLD_ANYIP, OLD_DELEGATED));

      assertThat(first).extracting(ReconcileResult::added, ReconcileResult::removed, ReconcileResult::failed)
          .containsExactly(2, 0, 0);
      assertThat(second.noop()).isTrue();
      assertThat(second.unchanged()).isEqualTo(2);
      assertThat(kernel.journal()).hasSize(2);
    }
  }

  @Test
  void renumberingAddsTheNewRoutesBeforeTheOldOnesGo() {
    try (RouteReconciler routes = reconciler().build()) {
      routes.apply(RoutePlan.of(OLD_ANYIP, OLD_DELEGATED));
      kernel.clearJournal();

      ReconcileResult result = routes.apply(RoutePlan.of(NEW_ANYIP, NEW_DELEGATED));

      assertThat(kernel.journal()).containsExactly(RouteChange.add(NEW_ANYIP), RouteChange.add(NEW_DELEGATED),
          RouteChange.delete(OLD_ANYIP), RouteChange.delete(OLD_DELEGATED));
      assertThat(result).extracting(ReconcileResult::added, ReconcileResult::removed).containsExactly(2, 2);
      assertThat(kernel.owned()).containsExactlyInAnyOrder(NEW_ANYIP, NEW_DELEGATED);
    }
  }

  @Test
  void drainingRoutesStayUntilTheirExpiryOnTheInjectedClock() {
    RoutePlan renumbered = RoutePlan.fromStatus(List.of(
        new PlannedRoute(RouteType.Local, "2001:db8:200::/64", "lo", null),
        new PlannedRoute(RouteType.Unreachable, "2001:db8:200::/56", null, null),
        new PlannedRoute(RouteType.Local, "2001:db8:100::/64", "lo", "2025-03-01T12:01:00Z"),
        new PlannedRoute(RouteType.Unreachable, "2001:db8:100::/56", null, "2025-03-01T12:01:00Z")));
    try (RouteReconciler routes = reconciler().build()) {
      routes.apply(RoutePlan.of(OLD_ANYIP, OLD_DELEGATED));

      assertThat(routes.apply(renumbered)).extracting(ReconcileResult::added, ReconcileResult::removed,
          ReconcileResult::unchanged).containsExactly(2, 0, 2);
      clock.advance(Duration.ofSeconds(59));
      assertThat(routes.resync()).hasValueSatisfying(r -> assertThat(r.noop()).isTrue());
      assertThat(kernel.owned()).hasSize(4);

      clock.advance(Duration.ofSeconds(1));
      ReconcileResult expired = routes.resync().orElseThrow();

      assertThat(expired).extracting(ReconcileResult::removed, ReconcileResult::expired).containsExactly(2, 2);
      assertThat(kernel.owned()).containsExactlyInAnyOrder(NEW_ANYIP, NEW_DELEGATED);
    }
  }

  @Test
  void anEmptyPlanWithdrawsOnlyOwnedRoutes() {
    KernelRoute staticUnreachable = new KernelRoute(RouteKind.UNREACHABLE, OLD_DELEGATED.destination(), "lo", "main", 1024);
    kernel.addForeign(staticUnreachable, 4);
    try (RouteReconciler routes = reconciler().build()) {
      routes.apply(RoutePlan.of(OLD_ANYIP, OLD_DELEGATED));

      ReconcileResult withdrawn = routes.apply(RoutePlan.empty());

      assertThat(withdrawn.removed()).isEqualTo(2);
      assertThat(kernel.all()).containsExactly(staticUnreachable);
    }
  }

  @Test
  void aForeignRouteInTheSameSlotFailsThatRouteOnlyAndIsLeftAlone() {
    KernelRoute bootLocal = KernelRoute.local(OLD_ANYIP.destination(), "lo");
    kernel.addForeign(bootLocal, 3);
    try (RouteReconciler routes = reconciler().build()) {
      ReconcileResult result = routes.apply(RoutePlan.of(OLD_ANYIP, OLD_DELEGATED));

      assertThat(result.added()).isOne();
      assertThat(result.failures()).singleElement()
          .satisfies(f -> assertThat(f.message()).contains("File exists"));
      assertThat(kernel.owned()).containsExactly(OLD_DELEGATED);

      routes.apply(RoutePlan.empty());
      assertThat(kernel.all()).containsExactly(bootLocal);
    }
  }

  @Test
  void oneFailingRouteDoesNotStopTheOthers() {
    kernel.failChangesTo(NEW_ANYIP.destination());
    try (RouteReconciler routes = reconciler().build()) {
      routes.apply(RoutePlan.of(OLD_ANYIP));

      ReconcileResult result = routes.apply(RoutePlan.of(NEW_ANYIP, NEW_DELEGATED));

      assertThat(result).extracting(ReconcileResult::added, ReconcileResult::removed, ReconcileResult::failed)
          .containsExactly(1, 1, 1);
      assertThat(result.failures()).singleElement().satisfies(f -> {
        assertThat(f.subject()).isEqualTo("add " + NEW_ANYIP);
        assertThat(f.message()).isEqualTo("Cannot find device");
      });
      assertThat(result.ok()).isFalse();
    }
  }

  @Test
  void rejectedPlannedRoutesCountAsFailuresOnEveryReconcile() {
    RoutePlan plan = RoutePlan.fromStatus(List.of(
        new PlannedRoute(RouteType.Local, "2001:db8:200::/64", "lo", null),
        new PlannedRoute(RouteType.Local, "not-a-prefix", "lo", null)));
    try (RouteReconciler routes = reconciler().build()) {
      assertThat(routes.apply(plan)).extracting(ReconcileResult::added, ReconcileResult::failed).containsExactly(1, 1);
      assertThat(routes.resync()).hasValueSatisfying(r -> assertThat(r.failed()).isOne());
    }
  }

  @Test
  void resyncRestoresADeletedRouteAndRemovesAStaleOne() {
    KernelRoute stale = KernelRoute.unreachable(Ipv6Cidr.parse("2001:db8:999::/64"));
    try (RouteReconciler routes = reconciler().build()) {
      routes.apply(RoutePlan.of(NEW_ANYIP, NEW_DELEGATED));
      kernel.removeByHand(NEW_ANYIP);
      kernel.addOwned(stale);

      ReconcileResult result = routes.resync().orElseThrow();

      assertThat(result).extracting(ReconcileResult::added, ReconcileResult::removed).containsExactly(1, 1);
      assertThat(kernel.owned()).containsExactlyInAnyOrder(NEW_ANYIP, NEW_DELEGATED);
    }
  }

  @Test
  void beforeTheFirstPlanResyncLeavesRoutesOfThePreviousRunAlone() {
    kernel.addOwned(OLD_ANYIP);
    try (RouteReconciler routes = reconciler().build()) {
      assertThat(routes.resync()).isEmpty();
      assertThat(kernel.owned()).containsExactly(OLD_ANYIP);
    }
  }

  @Test
  void closeKeepsTheRoutesByDefault() {
    RouteReconciler routes = reconciler().build();
    routes.apply(RoutePlan.of(NEW_ANYIP, NEW_DELEGATED));

    routes.close();

    assertThat(kernel.owned()).containsExactlyInAnyOrder(NEW_ANYIP, NEW_DELEGATED);
  }

  @Test
  void closeFlushesOwnedRoutesWhenConfigured() {
    KernelRoute staticRoute = new KernelRoute(RouteKind.UNREACHABLE, NEW_DELEGATED.destination(), "lo", "main", 1024);
    kernel.addForeign(staticRoute, 4);
    RouteReconciler routes = reconciler().keepRoutesOnExit(false).build();
    routes.apply(RoutePlan.of(NEW_ANYIP, NEW_DELEGATED));
    kernel.addOwned(KernelRoute.unreachable(Ipv6Cidr.parse("2001:db8:999::/64")));

    routes.close();

    assertThat(kernel.all()).containsExactly(staticRoute);
  }

  @Test
  void theExpiryTimerIsSetFromTheInjectedClockAndCancelledOnClose() {
    scheduler.setRemoveOnCancelPolicy(true);
    RoutePlan draining = RoutePlan.fromStatus(List.of(
        new PlannedRoute(RouteType.Local, "2001:db8:200::/64", "lo", null),
        new PlannedRoute(RouteType.Local, "2001:db8:100::/64", "lo", "2025-03-01T12:01:30Z")));
    RouteReconciler routes = reconciler().resyncPeriod(Duration.ofHours(1)).build();
    routes.start();

    routes.apply(draining);

    assertThat(scheduler.getQueue()).extracting(task -> ((Delayed) task).getDelay(TimeUnit.SECONDS))
        .containsExactlyInAnyOrder(3599L, 89L);
    routes.apply(RoutePlan.of(NEW_ANYIP));
    assertThat(scheduler.getQueue()).extracting(task -> ((Delayed) task).getDelay(TimeUnit.SECONDS))
        .containsExactly(3599L);
    routes.close();
    assertThat(scheduler.getQueue()).isEmpty();
  }

  @Test
  void theResyncTimerRestoresADeletedRouteOnItsOwn() {
    try (RouteReconciler routes = reconciler().resyncPeriod(Duration.ofMillis(20)).build()) {
      routes.start();
      routes.apply(RoutePlan.of(NEW_ANYIP, NEW_DELEGATED));

      kernel.removeByHand(NEW_ANYIP);

      Poll.until(Duration.ofSeconds(5), "the resync timer to restore " + NEW_ANYIP,
          () -> kernel.owned().contains(NEW_ANYIP));
    }
  }
}
