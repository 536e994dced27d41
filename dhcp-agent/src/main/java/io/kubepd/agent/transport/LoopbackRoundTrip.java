package io.kubepd.agent.transport;

import io.kubepd.agent.codec.Dhcp6Message;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends one message to itself over the IPv6 loopback address through an uplink's handlers on a real socket of the
 * given flavour: the training run of a class-data archive covers the send and receive paths this way. The datagram
 * never leaves the host.
 */
public final class LoopbackRoundTrip {

    private static final long TIMEOUT_SECONDS = 5;

    private LoopbackRoundTrip() {
    }

    /** The message as the socket received it back; fails if there is no IPv6 loopback or nothing arrives. */
    public static Dhcp6Message run(Dhcp6Message message, DatagramIo io, EventLoopGroup group) throws Exception {
        CompletableFuture<Dhcp6Message> received = new CompletableFuture<>();
        TransportMetrics metrics = new TransportMetrics();
        Channel channel = new Bootstrap().group(group).channelFactory(io.newChannel()::get)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(UplinkTransport.handlers("loopback",
                                r -> received.complete(r.message()), metrics));
                    }
                })
                .bind(new InetSocketAddress(loopback(), 0)).sync().channel();
        try {
            channel.writeAndFlush(new OutboundMessage(message, (InetSocketAddress) channel.localAddress())).sync();
            return received.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } finally {
            channel.close().sync();
        }
    }

    private static Inet6Address loopback() throws UnknownHostException {
        return (Inet6Address) InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
    }
}
