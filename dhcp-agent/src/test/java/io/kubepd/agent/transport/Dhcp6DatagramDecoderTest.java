package io.kubepd.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.kubepd.agent.codec.Dhcp6Codec;
import io.kubepd.agent.codec.Dhcp6Message;
import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.codec.MessageType;
import io.kubepd.agent.codec.option.ClientIdOption;
import io.kubepd.agent.codec.option.ServerIdOption;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Dhcp6DatagramDecoderTest {

    private static final InetSocketAddress CLIENT = socket("fe80::2%1", 546);
    private static final InetSocketAddress SERVER = socket("fe80::1%1", 547);
    private static final Duid CLIENT_DUID = Duid.ll(new byte[] {2, 0, 0, 0, 0, 2});
    private static final Duid SERVER_DUID = Duid.ll(new byte[] {2, 0, 0, 0, 0, 1});

    private final TransportMetrics metrics = new TransportMetrics();
    private final List<ReceivedMessage> delivered = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new Dhcp6DatagramDecoder("eth0", metrics), new Dhcp6DatagramEncoder(),
            new InboundDelivery("eth0", delivered::add, metrics));
    private final List<ByteBuf> sent = new ArrayList<>();

    @AfterEach
    void noLeaks() {
        channel.finishAndReleaseAll();
        for (ByteBuf buf : sent) {
            // The channel must have released every inbound buffer: only the test's own reference is left.
            assertThat(buf.refCnt()).as("datagram buffer released by the pipeline").isEqualTo(1);
            buf.release();
        }
    }

    private void receive(byte[] bytes) {
        ByteBuf buf = Unpooled.copiedBuffer(bytes);
        sent.add(buf);
        channel.writeInbound(new DatagramPacket(buf.retain(), CLIENT, SERVER));
    }

    @Test
    void deliversServerMessagesWithTheirSource() {
        Dhcp6Message reply = Dhcp6Message.of(MessageType.REPLY, 7, new ClientIdOption(CLIENT_DUID),
                new ServerIdOption(SERVER_DUID));
        receive(Dhcp6Codec.encode(reply));
        assertThat(delivered).containsExactly(new ReceivedMessage(reply, SERVER));
        assertThat(metrics.receivedCount()).isEqualTo(1);
        assertThat(metrics.deliveredCount()).isEqualTo(1);
        assertThat(metrics.droppedByReason()).isEmpty();
    }

    @Test
    void dropsAndCountsMalformedDatagrams() {
        receive(new byte[0]);
        receive(new byte[] {7, 0, 0});
        // REPLY with an option header claiming 16 bytes of data but carrying 2.
        receive(new byte[] {7, 0, 0, 1, 0, 1, 0, 16, 0, 3});
        // RELAY-REPL: well-formed for a relay, never for a client; the codec rejects it.
        receive(new byte[] {13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0});
        assertThat(delivered).isEmpty();
        assertThat(metrics.droppedByReason()).containsExactly(entry("malformed", 4L));
        assertThat(metrics.receivedCount()).isEqualTo(4);
    }

    @Test
    void aFailingReceiverDoesNotStopTheNextMessage() {
        EmbeddedChannel failing = new EmbeddedChannel(new Dhcp6DatagramDecoder("eth0", metrics),
                new InboundDelivery("eth0", r -> {
                    throw new IllegalStateException("boom");
                }, metrics));
        byte[] advertise = Dhcp6Codec.encode(Dhcp6Message.of(MessageType.ADVERTISE, 1));
        failing.writeInbound(new DatagramPacket(Unpooled.copiedBuffer(advertise), CLIENT, SERVER));
        failing.writeInbound(new DatagramPacket(Unpooled.copiedBuffer(advertise), CLIENT, SERVER));
        assertThat(failing.isActive()).isTrue();
        assertThat(metrics.deliveredCount()).isEqualTo(2);
        failing.finishAndReleaseAll();
    }

    @Test
    void encodesOutboundMessagesIntoAddressedDatagrams() {
        Dhcp6Message solicit = Dhcp6Message.of(MessageType.SOLICIT, 0xabcdef, new ClientIdOption(CLIENT_DUID));
        InetSocketAddress servers = socket("ff02::1:2%1", 547);
        channel.writeOutbound(new OutboundMessage(solicit, servers));
        DatagramPacket out = channel.readOutbound();
        try {
            assertThat(out.recipient()).isEqualTo(servers);
            assertThat(Dhcp6Codec.decode(out.content())).isEqualTo(solicit);
        } finally {
            out.release();
        }
    }

    private static InetSocketAddress socket(String address, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(address), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
