package io.kubepd.agent.transport;

import io.kubepd.agent.codec.Dhcp6Message;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * An uplink's netty pipeline without a socket: messages pass the same encoder, decoder and delivery handlers as on a
 * bound channel, on an {@link EmbeddedChannel}, so nothing reaches a network. Used by the start-up warm-up.
 */
public final class OfflinePipeline implements AutoCloseable {

    // Where received datagrams are addressed; an EmbeddedChannel has no address of its own.
    private static final InetSocketAddress LOCAL =
            new InetSocketAddress(Inet6Address.getLoopbackAddress(), TransportConfig.CLIENT_PORT);

    private final EmbeddedChannel channel;
    private final TransportMetrics metrics = new TransportMetrics();

    /** @param receiver gets every well-formed message {@link #receive received}, as a transport's receiver would */
    public OfflinePipeline(String interfaceName, Consumer<ReceivedMessage> receiver) {
        channel = new EmbeddedChannel(UplinkTransport.handlers(interfaceName, receiver, metrics));
    }

    /** The datagram the uplink would send for {@code message}. */
    public byte[] send(Dhcp6Message message, InetSocketAddress recipient) {
        channel.writeOutbound(new OutboundMessage(message, recipient));
        DatagramPacket packet = channel.readOutbound();
        try {
            return ByteBufUtil.getBytes(packet.content());
        } finally {
            packet.release();
        }
    }

    /** Hands {@code datagram} to the pipeline as if it had arrived from {@code sender}. */
    public void receive(byte[] datagram, InetSocketAddress sender) {
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(datagram), LOCAL, sender));
    }

    /** Counters of the datagrams that went through. */
    public TransportMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }
}
