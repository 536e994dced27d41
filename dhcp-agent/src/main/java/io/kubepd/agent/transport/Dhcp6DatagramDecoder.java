package io.kubepd.agent.transport;

import io.kubepd.agent.codec.Dhcp6Codec;
import io.kubepd.agent.codec.MalformedMessageException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns datagrams into {@link ReceivedMessage}s. Malformed bytes are dropped here, counted and logged at debug, so
 * the state machine only ever sees well-formed messages (it judges, and counts, whether they fit its state).
 * This is the edge for netty buffers: the datagram is released here whatever happened, and the decoded message
 * holds copies, never the buffer.
 */
final class Dhcp6DatagramDecoder extends ChannelInboundHandlerAdapter {

    /** Drop reason: the codec rejected the bytes. */
    static final String MALFORMED = "malformed";

    private static final Logger LOG = LoggerFactory.getLogger(Dhcp6DatagramDecoder.class);

    private final String interfaceName;
    private final TransportMetrics metrics;

    Dhcp6DatagramDecoder(String interfaceName, TransportMetrics metrics) {
        this.interfaceName = interfaceName;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            ReceivedMessage received = decode(packet);
            if (received != null) {
                ctx.fireChannelRead(received);
            }
        } finally {
            packet.release();
        }
    }

    private ReceivedMessage decode(DatagramPacket packet) {
        metrics.received();
        try {
            return new ReceivedMessage(Dhcp6Codec.decode(packet.content()), packet.sender());
        } catch (MalformedMessageException e) {
            metrics.dropped(MALFORMED);
            LOG.debug("{}: dropped malformed datagram of {} bytes from {}: {}", interfaceName,
                    packet.content().readableBytes(), packet.sender(), e.getMessage());
            return null;
        }
    }
}
