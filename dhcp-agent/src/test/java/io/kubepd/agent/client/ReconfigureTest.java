package io.kubepd.agent.client;

import static io.kubepd.agent.client.Dhcp6ClientTest.SERVER_A;
import static io.kubepd.agent.client.Dhcp6ClientTest.SERVER_B;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.agent.client.LeaseEvent.Type;
import io.kubepd.agent.codec.Dhcp6Message;
import io.kubepd.agent.codec.MessageType;
import io.kubepd.agent.codec.option.AuthOption;
import io.kubepd.agent.codec.option.Dhcp6Option;
import io.kubepd.agent.codec.option.ServerIdOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reconfigure with the reconfigure key authentication protocol (RFC 8415 §18.2.11, §20.4). */
class ReconfigureTest {
    private static final byte[] KEY = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final ClientHarness h = Dhcp6ClientTest.harness();
    private final FakeServer a = Dhcp6ClientTest.a(h);

    private void bindWithKey() {
        a.reconfigureKey = KEY;
        Dhcp6ClientTest.bind(h);
    }

    private void deliver(Dhcp6Message reconfigure) {
        h.deliver(reconfigure, a);
    }

    @Test
    void authenticRenewReconfigureTriggersARenewAtOnce() {
        bindWithKey();
        int before = h.sent.size();
        deliver(a.reconfigure(ClientHarness.CLIENT_DUID, MessageType.RENEW));

        assertThat(h.sent).hasSize(before + 1);
        assertThat(h.last().type()).isEqualTo(MessageType.RENEW);
        assertThat(h.last().message().option(ServerIdOption.class)).contains(new ServerIdOption(SERVER_A));
        assertThat(h.client.state()).isEqualTo(ClientState.RENEWING);
        h.advance(ofMillis(10));
        assertThat(h.eventTypes()).containsExactly(Type.BOUND, Type.RENEWED);
        assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
    }

    @Test
    void authenticRebindReconfigureTriggersARebind() {
        bindWithKey();
        deliver(a.reconfigure(ClientHarness.CLIENT_DUID, MessageType.REBIND));
        assertThat(h.last().type()).isEqualTo(MessageType.REBIND);
        assertThat(h.last().message().option(ServerIdOption.class)).isEmpty();
        h.advance(ofMillis(10));
        assertThat(h.eventTypes()).containsExactly(Type.BOUND, Type.REBOUND);
    }

    @Test
    void wrongKeyIsRejected() {
        bindWithKey();
        deliver(a.reconfigure(ClientHarness.CLIENT_DUID, MessageType.RENEW, 500, "fedcba9876543210".getBytes()));
        assertThat(h.client.dropCounts()).containsEntry(DropReason.UNAUTHENTICATED_RECONFIGURE, 1L);
        assertThat(h.sent(MessageType.RENEW)).isEmpty();
        assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
    }

    @Test
    void alteredMessageIsRejected() {
        bindWithKey();
        Dhcp6Message signed = a.reconfigure(ClientHarness.CLIENT_DUID, MessageType.RENEW);
        List<Dhcp6Option> options = new ArrayList<>(signed.options());
        AuthOption auth = signed.option(AuthOption.class).orElseThrow();
        // Same digest, higher counter: the digest covers the counter, so this must fail.
        options.set(options.indexOf(auth), AuthOption.rkap(auth.replayDetection() + 1, auth.rkapType(), auth.rkapValue()));
        deliver(new Dhcp6Message(signed.type(), signed.transactionId(), options));
        assertThat(h.client.dropCounts()).containsEntry(DropReason.UNAUTHENTICATED_RECONFIGURE, 1L);
        assertThat(h.sent(MessageType.RENEW)).isEmpty();
    }

    @Test
    void replayedReconfigureIsRejected() {
        bindWithKey();
        Dhcp6Message reconfigure = a.reconfigure(ClientHarness.CLIENT_DUID, MessageType.RENEW);
        deliver(reconfigure);
        h.advance(ofMillis(10));
        assertThat(h.client.state()).isEqualTo(ClientState.BOUND);

        deliver(reconfigure);
        assertThat(h.client.dropCounts()).containsEntry(DropReason.UNAUTHENTICATED_RECONFIGURE, 1L);
        assertThat(h.sent(MessageType.RENEW)).hasSize(1);
    }

    @Test
    void counterBelowTheKeyReplysIsRejected() {
        bindWithKey();
        deliver(a.reconfigure(ClientHarness.CLIENT_DUID, MessageType.RENEW, 5, KEY));
        assertThat(h.client.dropCounts()).containsEntry(DropReason.UNAUTHENTICATED_RECONFIGURE, 1L);
    }

    @Test
    void withoutAKeyNothingIsAuthentic() {
        Dhcp6ClientTest.bind(h);
        deliver(a.reconfigure(ClientHarness.CLIENT_DUID, MessageType.RENEW, 500, KEY));
        assertThat(h.client.dropCounts()).containsEntry(DropReason.UNAUTHENTICATED_RECONFIGURE, 1L);
    }

    @Test
    void unsignedReconfigureIsRejected() {
        bindWithKey();
        Dhcp6Message signed = a.reconfigure(ClientHarness.CLIENT_DUID, MessageType.RENEW);
        deliver(new Dhcp6Message(signed.type(), 0,
                signed.options().stream().filter(o -> !(o instanceof AuthOption)).toList()));
        assertThat(h.client.dropCounts()).containsEntry(DropReason.UNAUTHENTICATED_RECONFIGURE, 1L);
    }

    @Test
    void reconfigureDuringAnExchangeIsIgnoredAndAcceptedAfterIt() {
        bindWithKey();
        a.answers.remove(FakeServer.Kind.RENEW);
        h.advance(ofSeconds(1000));
        assertThat(h.client.state()).isEqualTo(ClientState.RENEWING);
        Dhcp6Message reconfigure = a.reconfigure(ClientHarness.CLIENT_DUID, MessageType.RENEW);
        deliver(reconfigure);
        assertThat(h.client.dropCounts()).containsEntry(DropReason.RECONFIGURE_DURING_EXCHANGE, 1L);

        // This Reply carries no key, so nothing but the Reconfigure itself could move the floor.
        a.reconfigureKey = null;
        a.answers.add(FakeServer.Kind.RENEW);
        h.advance(ofSeconds(15));
        assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
        // Ignored while busy, so its counter was not used up: the retransmitted Reconfigure works.
        int renews = h.sent(MessageType.RENEW).size();
        deliver(reconfigure);
        assertThat(h.sent(MessageType.RENEW)).hasSize(renews + 1);
    }

    @Test
    void onlyRenewAndRebindCanBeAskedFor() {
        bindWithKey();
        deliver(a.reconfigure(ClientHarness.CLIENT_DUID, MessageType.INFORMATION_REQUEST));
        Dhcp6Message signed = a.reconfigure(ClientHarness.CLIENT_DUID, MessageType.RENEW);
        deliver(new Dhcp6Message(signed.type(), 0,
                signed.options().stream().filter(o -> !(o instanceof io.kubepd.agent.codec.option.ReconfMsgOption)).toList()));
        assertThat(h.client.dropCounts()).containsEntry(DropReason.INVALID_RECONFIGURE, 2L);
        assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
    }

    @Test
    void reconfigureForAnotherClientIsDropped() {
        bindWithKey();
        deliver(a.reconfigure(io.kubepd.agent.codec.Duid.ll(new byte[] {1, 2, 3, 4, 5, 6}), MessageType.RENEW));
        assertThat(h.client.dropCounts()).containsEntry(DropReason.WRONG_CLIENT_ID, 1L);
    }

    @Test
    void reconfigureFromAServerTheClientIsNotBoundToIsDropped() {
        bindWithKey();
        FakeServer b = h.server(SERVER_B, "fe80::b");
        b.reconfigureKey = KEY;
        h.deliver(b.reconfigure(ClientHarness.CLIENT_DUID, MessageType.RENEW), b);
        // B never handed this client a key, so it cannot be authentic.
        assertThat(h.client.dropCounts()).containsEntry(DropReason.UNAUTHENTICATED_RECONFIGURE, 1L);
    }
}
