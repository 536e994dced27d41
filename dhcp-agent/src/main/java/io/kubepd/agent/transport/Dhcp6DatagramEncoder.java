package io.kubepd.agent.transport;

import io.kubepd.agent.codec.Dhcp6Codec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;

/** Turns an {@link OutboundMessage} into a datagram addressed to its recipient. */
final class Dhcp6DatagramEncoder extends ChannelOutboundHandlerAdapter {

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof OutboundMessage outbound)) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf buf = ctx.alloc().ioBuffer();
        try {
            Dhcp6Codec.encode(outbound.message(), buf);
        } catch (RuntimeException e) {
            buf.release();
            promise.setFailure(e);
            return;
        }
        ctx.write(new DatagramPacket(buf, outbound.recipient()), promise);
    }
}
