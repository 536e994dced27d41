package io.kubepd.agent.client;

import static io.kubepd.agent.client.Dhcp6ClientTest.SERVER_A;
import static io.kubepd.agent.client.Dhcp6ClientTest.SERVER_B;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.agent.codec.Dhcp6Message;
import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.codec.MessageType;
import io.kubepd.agent.codec.option.ClientIdOption;
import io.kubepd.agent.codec.option.Dhcp6Option;
import io.kubepd.agent.codec.option.IaPdOption;
import io.kubepd.agent.codec.option.ServerIdOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The receive path drops what does not belong to the client's current exchange, and counts it. */
class ReceivePathTest {
    private final ClientHarness h = Dhcp6ClientTest.harness();
    private final FakeServer a = Dhcp6ClientTest.a(h);

    private Dhcp6Message answer(MessageType type, int transactionId, Dhcp6Option... options) {
        List<Dhcp6Option> all = new ArrayList<>(List.of(options));
        all.add(IaPdOption.of(1, 1000, 1600, FakeServer.prefix(Dhcp6ClientTest.P1, 2000, 3000)));
        return new Dhcp6Message(type, transactionId, all);
    }

    private static ClientIdOption ours() {
        return new ClientIdOption(ClientHarness.CLIENT_DUID);
    }

    @Test
    void messagesBeforeStartAreDropped() {
        h.deliver(answer(MessageType.ADVERTISE, 1, ours(), new ServerIdOption(SERVER_A)), a);
        assertThat(h.client.dropCounts()).isEqualTo(Map.of(DropReason.NOT_RUNNING, 1L));
    }

    @Test
    void eachMalformedAnswerIsDroppedForItsReason() {
        a.goAway();
        h.client.start();
        int xid = h.sent.get(0).message().transactionId();
        ServerIdOption server = new ServerIdOption(SERVER_A);

        h.deliver(answer(MessageType.SOLICIT, xid, ours()), a);
        h.deliver(answer(MessageType.ADVERTISE, xid, server), a);
        h.deliver(answer(MessageType.ADVERTISE, xid, new ClientIdOption(Duid.ll(new byte[] {1, 1, 1, 1, 1, 1})), server), a);
        h.deliver(answer(MessageType.ADVERTISE, xid, ours()), a);
        h.deliver(answer(MessageType.ADVERTISE, xid ^ 1, ours(), server), a);
        h.deliver(answer(MessageType.RECONFIGURE, 0, ours(), server), a);

        assertThat(h.client.dropCounts()).isEqualTo(Map.of(
                DropReason.UNEXPECTED_TYPE, 1L,
                DropReason.MISSING_CLIENT_ID, 1L,
                DropReason.WRONG_CLIENT_ID, 1L,
                DropReason.MISSING_SERVER_ID, 1L,
                DropReason.WRONG_TRANSACTION_ID, 1L,
                DropReason.INVALID_RECONFIGURE, 1L));
        assertThat(h.client.state()).isEqualTo(ClientState.SOLICITING);
        assertThat(h.sent).hasSize(1);
    }

    @Test
    void advertiseOutsideSolicitingIsUnexpected() {
        a.answers.remove(FakeServer.Kind.REQUEST);
        h.client.start();
        h.advance(ofMillis(1200));
        assertThat(h.client.state()).isEqualTo(ClientState.REQUESTING);
        int xid = h.last().message().transactionId();
        h.deliver(answer(MessageType.ADVERTISE, xid, ours(), new ServerIdOption(SERVER_A)), a);
        assertThat(h.client.dropCounts()).isEqualTo(Map.of(DropReason.UNEXPECTED_TYPE, 1L));
    }

    @Test
    void repliesFromAServerNotSelectedAreDroppedInRequestAndRenew() {
        a.answers.remove(FakeServer.Kind.REQUEST);
        h.client.start();
        h.advance(ofMillis(1200));
        h.deliver(answer(MessageType.REPLY, h.last().message().transactionId(), ours(), new ServerIdOption(SERVER_B)), a);
        assertThat(h.client.dropCounts()).isEqualTo(Map.of(DropReason.SERVER_NOT_SELECTED, 1L));
        assertThat(h.client.state()).isEqualTo(ClientState.REQUESTING);

        a.answers.add(FakeServer.Kind.REQUEST);
        a.answers.remove(FakeServer.Kind.RENEW);
        h.advance(ofSeconds(1100));
        assertThat(h.client.state()).isEqualTo(ClientState.RENEWING);
        h.deliver(answer(MessageType.REPLY, h.last().message().transactionId(), ours(), new ServerIdOption(SERVER_B)), a);
        assertThat(h.client.dropCounts()).isEqualTo(Map.of(DropReason.SERVER_NOT_SELECTED, 2L));
        assertThat(h.client.state()).isEqualTo(ClientState.RENEWING);
    }

    @Test
    void lateAnswerToAFinishedExchangeIsDropped() {
        Dhcp6ClientTest.bind(h);
        int oldXid = h.sent(MessageType.REQUEST).get(0).message().transactionId();
        h.deliver(answer(MessageType.REPLY, oldXid, ours(), new ServerIdOption(SERVER_A)), a);
        assertThat(h.client.dropCounts()).isEqualTo(Map.of(DropReason.WRONG_TRANSACTION_ID, 1L));
        assertThat(h.eventTypes()).containsExactly(LeaseEvent.Type.BOUND);
    }
}
