package io.kubepd.agent.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The end of the pipeline: hands decoded messages to the client and keeps the socket alive whatever it throws. */
final class InboundDelivery extends SimpleChannelInboundHandler<ReceivedMessage> {

    private static final Logger LOG = LoggerFactory.getLogger(InboundDelivery.class);

    private final String interfaceName;
    private final Consumer<ReceivedMessage> receiver;
    private final TransportMetrics metrics;

    InboundDelivery(String interfaceName, Consumer<ReceivedMessage> receiver, TransportMetrics metrics) {
        super(ReceivedMessage.class);
        this.interfaceName = interfaceName;
        this.receiver = receiver;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ReceivedMessage received) {
        metrics.delivered();
        try {
            receiver.accept(received);
        } catch (RuntimeException e) {
            LOG.error("{}: the client failed on {} from {}", interfaceName, received.message(), received.source(), e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // E.g. an ICMP error surfacing on the socket: worth a line, not worth closing the socket.
        LOG.warn("{}: socket error: {}", interfaceName, cause.toString());
    }
}
