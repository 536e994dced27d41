package io.kubepd.agent.client;

import static io.kubepd.agent.codec.CapturedExchange.CLIENT;
import static io.kubepd.agent.codec.CapturedExchange.DHCPD;
import static io.kubepd.agent.codec.CapturedExchange.IAID;
import static io.kubepd.agent.codec.CapturedExchange.KEA;
import static io.kubepd.agent.codec.CapturedExchange.SECOND_CLIENT;
import static io.kubepd.agent.codec.CapturedExchange.datagrams;
import static io.kubepd.agent.codec.CapturedExchange.withTransactionId;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.agent.client.LeaseEvent.Type;
import io.kubepd.agent.codec.Dhcp6Codec;
import io.kubepd.agent.codec.Duid;
import java.net.Inet6Address;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The client against the real servers' answers in src/test/resources/captures, in virtual time. The client has the
 * captured agent's DUID and IAID, so what it sends equals, byte for byte, what the real agent sent, transaction id
 * aside; each captured answer is delivered with the transaction id of the client's own message.
 */
class CapturedExchangeClientTest {
    // Any link-local address: the client does not look at where an answer comes from.
    private static final Inet6Address SERVER = FakeServer.ip("fe80::1");

    private static ClientHarness harness(Duid duid, boolean rapidCommit) {
        return new ClientHarness(new Dhcp6ClientConfig("uplink0", duid, List.of(IAID), 0, rapidCommit, false), 1);
    }

    /** The client's last message is {@code captured}, but for the transaction id. */
    private static void assertSentAsCaptured(ClientHarness h, byte[] captured) {
        byte[] sent = Dhcp6Codec.encode(h.last().message());
        assertThat(withTransactionId(sent, 0)).isEqualTo(withTransactionId(captured, 0));
    }

    /** Delivers the server's captured answer to the client's last message. */
    private static void answer(ClientHarness h, byte[] captured) {
        byte[] wire = withTransactionId(captured, h.last().message().transactionId());
        h.client.onMessage(Dhcp6Codec.decode(wire), SERVER);
    }

    /** The pool's one /56 as Kea and dhcpd grant it: T1 4 s, T2 8 s, preferred 12 s, valid 16 s, and their DNS. */
    private static void assertGranted(Lease lease, Duid server) {
        assertThat(lease.iaid()).isEqualTo(IAID);
        assertThat(lease.cidr()).isEqualTo("2001:db8:100::/56");
        assertThat(lease.t1()).isEqualTo(4);
        assertThat(lease.t2()).isEqualTo(8);
        assertThat(lease.preferredLifetime()).isEqualTo(12);
        assertThat(lease.validLifetime()).isEqualTo(16);
        assertThat(lease.serverDuid()).isEqualTo(server.toString());
        assertThat(lease.state()).isEqualTo(Lease.State.ACTIVE);
        assertThat(lease.dns()).isEqualTo(new DnsConfig(List.of("2001:db8:ffff::53"), List.of("example.net")));
    }

    @Test
    void keaLeaseFromSolicitThroughRenewAndRebindToRelease() {
        ClientHarness h = harness(CLIENT, false);
        List<byte[]> bind = datagrams("kea-2.2.0/solicit-advertise-request-reply.hex");
        h.client.start();
        assertSentAsCaptured(h, bind.get(0));
        answer(h, bind.get(1));
        // Advertises count until the first Solicit RT ends, a little over a second.
        h.advance(ofMillis(1200));
        assertSentAsCaptured(h, bind.get(2));
        answer(h, bind.get(3));

        assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
        assertThat(h.eventTypes()).containsExactly(Type.BOUND);
        assertGranted(h.lastEvent().lease(), KEA);
        Instant bound = h.lastEvent().lease().renewedAt();
        assertThat(h.lastEvent().lease().expiresAt()).isEqualTo(bound.plusSeconds(16));

        List<byte[]> renew = datagrams("kea-2.2.0/renew-reply.hex");
        h.advance(ofSeconds(4));
        assertSentAsCaptured(h, renew.get(0));
        answer(h, renew.get(1));
        assertThat(h.eventTypes()).containsExactly(Type.BOUND, Type.RENEWED);
        assertGranted(h.lastEvent().lease(), KEA);
        assertThat(h.lastEvent().lease().renewedAt()).isEqualTo(bound.plusSeconds(4));

        // Kea was away for the next Renew at T1; the Rebind at T2 reached it.
        List<byte[]> rebind = datagrams("kea-2.2.0/rebind-reply.hex");
        h.advance(ofSeconds(8));
        assertSentAsCaptured(h, rebind.get(0));
        answer(h, rebind.get(1));
        assertThat(h.eventTypes()).containsExactly(Type.BOUND, Type.RENEWED, Type.REBOUND);
        assertGranted(h.lastEvent().lease(), KEA);
        assertThat(h.client.state()).isEqualTo(ClientState.BOUND);

        List<byte[]> release = datagrams("kea-2.2.0/release-reply.hex");
        h.client.release();
        assertSentAsCaptured(h, release.get(0));
        answer(h, release.get(1));
        assertThat(h.client.state()).isEqualTo(ClientState.STOPPED);
        assertThat(h.eventTypes()).endsWith(Type.RELEASED);
        assertThat(h.client.leases()).isEmpty();
        assertThat(h.client.dropCounts()).isEmpty();
    }

    @Test
    void keaRapidCommitBindsAndARenewAnsweredWithNoPrefixAvailEndsThePrefixAndSolicits() {
        ClientHarness h = harness(CLIENT, true);
        List<byte[]> rapid = datagrams("kea-2.2.0/rapid-commit.hex");
        h.client.start();
        assertSentAsCaptured(h, rapid.get(0));
        answer(h, rapid.get(1));
        assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
        assertThat(h.eventTypes()).containsExactly(Type.BOUND);
        assertGranted(h.lastEvent().lease(), KEA);

        List<byte[]> renew = datagrams("kea-2.2.0/renew-no-prefix-avail.hex");
        h.advance(ofSeconds(4));
        assertSentAsCaptured(h, renew.get(0));
        answer(h, renew.get(1));
        // The IA's status is NoPrefixAvail and its prefix comes back with lifetime 0: Kea gave it to another client,
        // so the client stops using it at once (not at its valid lifetime) and looks for a server again.
        assertThat(h.eventTypes()).containsExactly(Type.BOUND, Type.WITHDRAWN);
        assertThat(h.lastEvent().lease().cidr()).isEqualTo("2001:db8:100::/56");
        assertThat(h.client.leases()).isEmpty();
        assertThat(h.client.state()).isEqualTo(ClientState.SOLICITING);
        assertThat(h.client.dropCounts()).isEmpty();
    }

    @Test
    void keaRapidCommitReplyWithNoPrefixAvailLeavesTheClientSoliciting() {
        ClientHarness h = harness(SECOND_CLIENT, true);
        List<byte[]> exhausted = datagrams("kea-2.2.0/solicit-no-prefix-avail.hex");
        h.client.start();
        assertSentAsCaptured(h, exhausted.get(0));
        answer(h, exhausted.get(1));

        assertThat(h.client.state()).isEqualTo(ClientState.SOLICITING);
        assertThat(h.events).isEmpty();
        assertThat(h.client.dropCounts()).containsExactly(Map.entry(DropReason.NO_USABLE_PREFIX, 1L));
    }

    @Test
    void iscDhcpdAnswersInItsOwnOptionOrderBindTheSameWay() {
        ClientHarness h = harness(CLIENT, false);
        List<byte[]> bind = datagrams("dhcpd-4.4.3-p1/solicit-advertise-request-reply.hex");
        h.client.start();
        assertSentAsCaptured(h, bind.get(0));
        answer(h, bind.get(1));
        h.advance(ofMillis(1200));
        assertSentAsCaptured(h, bind.get(2));
        answer(h, bind.get(3));

        assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
        assertThat(h.eventTypes()).containsExactly(Type.BOUND);
        assertGranted(h.lastEvent().lease(), DHCPD);
    }
}
