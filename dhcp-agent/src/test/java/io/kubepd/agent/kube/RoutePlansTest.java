package io.kubepd.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.PlannedRoute;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.crd.v1alpha1.PrefixLeaseStatus;
import io.kubepd.crd.v1alpha1.RouteType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutePlansTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final PlannedRoute POD_LOCAL = new PlannedRoute(RouteType.Local, "2001:db8:0:100::/64", "lo", null);
    private static final PlannedRoute UNREACHABLE =
            new PlannedRoute(RouteType.Unreachable, "2001:db8:0:100::/56", null, null);

    @Test
    void appliesThePlanForAHeldPrefix() {
        var routes = RoutePlans.desired(List.of(lease(POD_LOCAL, UNREACHABLE)), List.of("2001:db8:0:100::/56"), NOW);

        assertThat(routes).containsExactly(POD_LOCAL, UNREACHABLE);
    }

    @Test
    void ignoresAStalePlanForAPrefixNoLongerHeld() {
        var routes = RoutePlans.desired(List.of(lease(POD_LOCAL, UNREACHABLE)), List.of("2001:db8:0:200::/56"), NOW);

        assertThat(routes).as("the status still plans the old prefix, but the client does not hold it").isEmpty();
    }

    @Test
    void keepsADrainingRouteUntilItExpires() {
        var draining = new PlannedRoute(RouteType.Local, "2001:db8:0:100::/64", "lo", "2026-11-27T12:00:01Z");
        var held = List.of("2001:db8:0:100::/56");

        assertThat(RoutePlans.desired(List.of(lease(draining)), held, NOW)).containsExactly(draining);
        assertThat(RoutePlans.desired(List.of(lease(draining)), held, NOW.plusSeconds(1))).isEmpty();
    }

    @Test
    void mergesTheLeasesOfSeveralUplinksWithoutDuplicates() {
        var other = new PlannedRoute(RouteType.Local, "2001:db8:1:100::/64", "lo", null);

        var routes = RoutePlans.desired(List.of(lease(POD_LOCAL), lease(POD_LOCAL, other), new PrefixLease()),
                List.of("2001:db8:0:100::/56", "2001:db8:1:100::/56"), NOW);

        assertThat(routes).containsExactly(POD_LOCAL, other);
    }

    @Test
    void keepsTheLastReadyPlanWhileAnExpiredVerdictContradictsAHeldPrefix() {
        RoutePlans plans = new RoutePlans();
        var held = List.of("2001:db8:0:100::/56");
        PrefixLease ready = named("node-a-eth0-1", LeasePhase.Ready, POD_LOCAL, UNREACHABLE);
        assertThat(plans.plan(List.of(ready), held, NOW)).containsExactly(POD_LOCAL, UNREACHABLE);

        PrefixLease staleVerdict = named("node-a-eth0-1", LeasePhase.Expired);

        assertThat(plans.plan(List.of(staleVerdict), held, NOW))
                .as("the agent still holds the prefix: the operator read a stale spec")
                .containsExactly(POD_LOCAL, UNREACHABLE);
        assertThat(plans.plan(List.of(staleVerdict), List.of(), NOW))
                .as("once the agent no longer holds the prefix, the routes go").isEmpty();
    }

    @Test
    void followsAConflictVerdictAtOnce() {
        RoutePlans plans = new RoutePlans();
        var held = List.of("2001:db8:0:100::/56");
        plans.plan(List.of(named("node-a-eth0-1", LeasePhase.Ready, POD_LOCAL, UNREACHABLE)), held, NOW);

        assertThat(plans.plan(List.of(named("node-a-eth0-1", LeasePhase.Conflict)), held, NOW)).isEmpty();
    }

    @Test
    void containmentFollowsPrefixBits() {
        assertThat(RoutePlans.contains("2001:db8:0:100::/56", "2001:db8:0:1ff::/64")).isTrue();
        assertThat(RoutePlans.contains("2001:db8:0:100::/56", "2001:db8:0:200::/64")).isFalse();
        assertThat(RoutePlans.contains("2001:db8:0:100::/56", "2001:db8:0:100::/48")).isFalse();
        assertThat(RoutePlans.contains("::/0", "2001:db8::1/128")).isTrue();
        assertThat(RoutePlans.contains("2001:db8::/32", "not-a-prefix/64")).isFalse();
        assertThat(RoutePlans.contains("2001:db8::/32", "192.0.2.0/24")).isFalse();
    }

    private static PrefixLease named(String name, LeasePhase phase, PlannedRoute... routes) {
        PrefixLease lease = lease(routes);
        lease.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
        lease.getSpec().setDelegatedPrefix("2001:db8:0:100::/56");
        lease.getStatus().setPhase(phase);
        return lease;
    }

    private static PrefixLease lease(PlannedRoute... routes) {
        PrefixLease lease = new PrefixLease();
        lease.setStatus(new PrefixLeaseStatus());
        lease.getStatus().setRoutes(List.of(routes));
        return lease;
    }
}
