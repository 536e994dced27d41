package io.kubepd.agent.transport;

import io.kubepd.agent.codec.Dhcp6Codec;
import io.kubepd.agent.codec.Dhcp6Message;
import io.kubepd.agent.codec.MalformedMessageException;
import io.kubepd.agent.codec.MessageType;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns datagrams into {@link ReceivedMessage}s. Malformed bytes and messages a client never accepts are dropped
 * here, counted by reason and logged at debug, so the state machine only ever sees well-formed server messages.
 * This is the edge for netty buffers: the datagram is released here whatever happened, and the decoded message
 * holds copies, never the buffer.
 */
final class Dhcp6DatagramDecoder extends ChannelInboundHandlerAdapter {

    /** Drop reason: the codec rejected the bytes. */
    static final String MALFORMED = "malformed";
    /** Drop reason: a well-formed message of a type only servers or relays receive (RFC 8415 §7.3). */
    static final String NOT_FOR_CLIENT = "not-for-client";

    private static final Logger LOG = LoggerFactory.getLogger(Dhcp6DatagramDecoder.class);
    // RFC 8415 §15: the messages a server sends to a client.
    private static final Set<MessageType> SERVER_TO_CLIENT =
            Set.of(MessageType.ADVERTISE, MessageType.REPLY, MessageType.RECONFIGURE);

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
        Dhcp6Message message;
        try {
            message = Dhcp6Codec.decode(packet.content());
        } catch (MalformedMessageException e) {
            metrics.dropped(MALFORMED);
            LOG.debug("{}: dropped malformed datagram of {} bytes from {}: {}", interfaceName,
                    packet.content().readableBytes(), packet.sender(), e.getMessage());
            return null;
        }
        if (!SERVER_TO_CLIENT.contains(message.type())) {
            metrics.dropped(NOT_FOR_CLIENT);
            LOG.debug("{}: dropped {} from {}: not a message a client receives", interfaceName, message.type(),
                    packet.sender());
            return null;
        }
        return new ReceivedMessage(message, packet.sender());
    }
}
