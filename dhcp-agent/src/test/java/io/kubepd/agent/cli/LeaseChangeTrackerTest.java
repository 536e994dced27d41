package io.kubepd.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.agent.client.Lease;
import io.kubepd.agent.client.LeaseEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LeaseChangeTrackerTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final LeaseChangeTracker tracker = new LeaseChangeTracker("eth0");

    static Lease lease(long iaid, String prefix, Lease.State state) {
        return new Lease(iaid, prefix, 56, null, 1800, 3600, 900, 1440, "00:01:00:01:aa:bb", T0, T0,
                T0.plusSeconds(3600), state);
    }

    private LeaseChange track(LeaseEvent.Type type, String prefix, Lease.State state) {
        return tracker.track(new LeaseEvent(type, lease(1, prefix, state)), T0);
    }

    private static String oldNew(LeaseChange c) {
        return c.eventName() + " " + c.oldPrefix() + " -> " + c.newPrefix();
    }

    @Test
    void bindRenewRebindRelease() {
        assertThat(oldNew(track(LeaseEvent.Type.BOUND, "2001:db8:100::", Lease.State.ACTIVE)))
                .isEqualTo("bound null -> 2001:db8:100::/56");
        assertThat(oldNew(track(LeaseEvent.Type.RENEWED, "2001:db8:100::", Lease.State.ACTIVE)))
                .isEqualTo("renewed 2001:db8:100::/56 -> 2001:db8:100::/56");
        assertThat(oldNew(track(LeaseEvent.Type.REBOUND, "2001:db8:100::", Lease.State.ACTIVE)))
                .isEqualTo("rebound 2001:db8:100::/56 -> 2001:db8:100::/56");
        assertThat(oldNew(track(LeaseEvent.Type.RELEASED, "2001:db8:100::", Lease.State.RELEASED)))
                .isEqualTo("released 2001:db8:100::/56 -> null");
    }

    @Test
    void renumberingWhereTheOldPrefixDrains() {
        track(LeaseEvent.Type.BOUND, "2001:db8:100::", Lease.State.ACTIVE);
        assertThat(oldNew(track(LeaseEvent.Type.CHANGED, "2001:db8:200::", Lease.State.ACTIVE)))
                .isEqualTo("changed 2001:db8:100::/56 -> 2001:db8:200::/56");
        assertThat(oldNew(track(LeaseEvent.Type.DRAINING, "2001:db8:100::", Lease.State.DRAINING)))
                .isEqualTo("draining 2001:db8:100::/56 -> 2001:db8:200::/56");
        assertThat(oldNew(track(LeaseEvent.Type.EXPIRED, "2001:db8:100::", Lease.State.EXPIRED)))
                .isEqualTo("expired 2001:db8:100::/56 -> 2001:db8:200::/56");
    }

    @Test
    void renumberingWhereTheServerWithdrawsTheOldPrefix() {
        // Kea after a pool change answers Rebind with the old prefix at lifetime 0 and the new one; the client
        // names the new one first.
        track(LeaseEvent.Type.RESTORED, "2001:db8:100::", Lease.State.ACTIVE);
        assertThat(oldNew(track(LeaseEvent.Type.CHANGED, "2001:db8:200::", Lease.State.ACTIVE)))
                .isEqualTo("changed 2001:db8:100::/56 -> 2001:db8:200::/56");
        assertThat(oldNew(track(LeaseEvent.Type.WITHDRAWN, "2001:db8:100::", Lease.State.WITHDRAWN)))
                .isEqualTo("withdrawn 2001:db8:100::/56 -> 2001:db8:200::/56");
    }

    @Test
    void iasAreTrackedSeparately() {
        tracker.track(new LeaseEvent(LeaseEvent.Type.BOUND, lease(1, "2001:db8:100::", Lease.State.ACTIVE)), T0);
        LeaseChange other = tracker.track(
                new LeaseEvent(LeaseEvent.Type.BOUND, lease(2, "2001:db8:300::", Lease.State.ACTIVE)), T0);
        assertThat(oldNew(other)).isEqualTo("bound null -> 2001:db8:300::/56");
    }
}
