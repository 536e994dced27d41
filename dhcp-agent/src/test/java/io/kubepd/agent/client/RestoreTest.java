package io.kubepd.agent.client;

import static io.kubepd.agent.client.ClientHarness.START;
import static io.kubepd.agent.client.Dhcp6ClientTest.P1;
import static io.kubepd.agent.client.Dhcp6ClientTest.P2;
import static io.kubepd.agent.client.Dhcp6ClientTest.SERVER_A;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.agent.client.LeaseEvent.Type;
import io.kubepd.agent.codec.MessageType;
import io.kubepd.agent.codec.option.IaPdOption;
import io.kubepd.agent.codec.option.IaPrefixOption;
import io.kubepd.agent.codec.option.ServerIdOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Starting from persisted leases: Rebind first (RFC 8415 §18.2.12), Solicit only without any. */
class RestoreTest {
    /** A lease renewed 500 s before the client starts, valid 3000 s: 2500 s left. */
    static Lease persisted(String cidr, Lease.State state) {
        Instant renewed = START.minusSeconds(500);
        String[] parts = cidr.split("/");
        return new Lease(1, parts[0], Integer.parseInt(parts[1]), null, 2000, 3000, 1000, 1600, SERVER_A.toString(),
                START.minusSeconds(86_400), renewed, renewed.plusSeconds(3000), state);
    }

    @Test
    void unexpiredLeaseIsReportedAndRebound() {
        ClientHarness h = Dhcp6ClientTest.harness();
        Lease lease = persisted(P1, Lease.State.ACTIVE);
        h.client.start(List.of(lease));

        assertThat(h.events).containsExactly(new LeaseEvent(Type.RESTORED, lease));
        assertThat(h.client.state()).isEqualTo(ClientState.REBINDING);
        assertThat(h.sent).singleElement().satisfies(rebind -> {
            assertThat(rebind.type()).isEqualTo(MessageType.REBIND);
            assertThat(rebind.at()).isEqualTo(Duration.ZERO);
            assertThat(rebind.message().option(ServerIdOption.class)).isEmpty();
            assertThat(rebind.message().options(IaPdOption.class)).containsExactly(
                    IaPdOption.of(1, 0, 0, FakeServer.prefix(P1, 0, 0)));
        });

        h.advance(ofMillis(10));
        assertThat(h.eventTypes()).containsExactly(Type.RESTORED, Type.REBOUND);
        assertThat(h.lastEvent().lease().obtainedAt()).isEqualTo(lease.obtainedAt());
        assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
    }

    @Test
    void withoutAnyServerTheRestoredLeaseExpiresOnTimeThenSolicit() {
        ClientHarness h = Dhcp6ClientTest.harness();
        Dhcp6ClientTest.a(h).goAway();
        h.client.start(List.of(persisted(P1, Lease.State.ACTIVE)));
        h.advance(ofSeconds(2499));
        assertThat(h.client.state()).isEqualTo(ClientState.REBINDING);
        assertThat(h.sent(MessageType.SOLICIT)).isEmpty();
        h.advance(ofSeconds(1));
        assertThat(h.eventTypes()).containsExactly(Type.RESTORED, Type.EXPIRED);
        assertThat(h.client.state()).isEqualTo(ClientState.SOLICITING);
        assertThat(h.sent(MessageType.SOLICIT).get(0).at()).isEqualTo(ofSeconds(2500));
    }

    @Test
    void restoredBeforeStartTheLeaseIsReportedWithoutAMessageAndStillExpiresOnTime() {
        ClientHarness h = Dhcp6ClientTest.harness();
        Lease lease = persisted(P1, Lease.State.ACTIVE);
        // The uplink restores at once but starts only when its interface has a usable address.
        h.client.restore(List.of(lease));
        assertThat(h.events).containsExactly(new LeaseEvent(Type.RESTORED, lease));
        assertThat(h.client.state()).isEqualTo(ClientState.INIT);
        assertThat(h.sent).isEmpty();

        h.advance(ofSeconds(2500));
        assertThat(h.eventTypes()).containsExactly(Type.RESTORED, Type.EXPIRED);
        assertThat(h.client.leases()).isEmpty();
        h.client.start();
        assertThat(h.sent).singleElement().extracting(ClientHarness.Sent::type).isEqualTo(MessageType.SOLICIT);
    }

    @Test
    void unusableLeasesAreNotRestored() {
        ClientHarness h = Dhcp6ClientTest.harness();
        Lease expired = new Lease(1, "2001:db8:9::", 56, null, 10, 20, 5, 8, SERVER_A.toString(),
                START.minusSeconds(100), START.minusSeconds(100), START.minusSeconds(80), Lease.State.ACTIVE);
        Lease otherIa = new Lease(7, "2001:db8:7::", 56, null, 2000, 3000, 1000, 1600, SERVER_A.toString(),
                START, START, START.plusSeconds(3000), Lease.State.ACTIVE);
        Lease badDuid = new Lease(1, "2001:db8:8::", 56, null, 2000, 3000, 1000, 1600, "not hex",
                START, START, START.plusSeconds(3000), Lease.State.ACTIVE);
        h.client.start(List.of(expired, otherIa, badDuid, persisted(P2, Lease.State.RELEASED)));
        assertThat(h.events).isEmpty();
        assertThat(h.client.state()).isEqualTo(ClientState.SOLICITING);
        assertThat(h.sent.get(0).type()).isEqualTo(MessageType.SOLICIT);
    }

    @Test
    void drainingLeaseStaysDrainingAndIsNotRebound() {
        ClientHarness h = Dhcp6ClientTest.harness();
        Dhcp6ClientTest.a(h).prefixes.put(1L, P2);
        h.client.start(List.of(persisted(P1, Lease.State.DRAINING), persisted(P2, Lease.State.ACTIVE)));
        assertThat(h.sent.get(0).message().option(IaPdOption.class).orElseThrow().prefixes())
                .extracting(IaPrefixOption::cidr).containsExactly(P2);
        h.advance(ofMillis(10));
        assertThat(h.client.leases()).extracting(Lease::cidr, Lease::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple(P1, Lease.State.DRAINING),
                org.assertj.core.groups.Tuple.tuple(P2, Lease.State.ACTIVE));
    }

    @Test
    void restoredLeaseCanBeReleasedToItsServer() {
        ClientHarness h = Dhcp6ClientTest.harness();
        Dhcp6ClientTest.a(h).goAway();
        h.client.start(List.of(persisted(P1, Lease.State.ACTIVE)));
        h.client.release();
        assertThat(h.last().type()).isEqualTo(MessageType.RELEASE);
        assertThat(h.last().message().option(ServerIdOption.class)).contains(new ServerIdOption(SERVER_A));
        assertThat(h.eventTypes()).containsExactly(Type.RESTORED, Type.RELEASED);
    }
}
