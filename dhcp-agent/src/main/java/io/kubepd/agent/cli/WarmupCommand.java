package io.kubepd.agent.cli;

import io.kubepd.agent.transport.DatagramIo;
import io.kubepd.agent.warmup.Warmup;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;

/**
 * {@code dhcp-agent warmup} (hidden): the training run of the agent's class-data archive. Runs the start-up warm-up to
 * its end and opens one UDP socket on the loopback address with the native transport, then exits, so that
 * {@code -XX:ArchiveClassesAtExit} records the classes a real start loads. Sends nothing, writes nothing.
 */
@Command(name = "warmup", hidden = true,
        description = "Training run for the class-data archive: runs the start-up warm-up and exits.")
public final class WarmupCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Warmup.run(StandaloneRun.warmUpListener());
        DatagramIo io = DatagramIo.detect();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io.ioHandlerFactory());
        try {
            new Bootstrap().group(group).channelFactory(io.newChannel()::get)
                    .handler(new ChannelInboundHandlerAdapter())
                    .bind(new InetSocketAddress(Inet6Address.getLoopbackAddress(), 0))
                    .sync().channel().close().sync();
        } catch (Exception e) {
            // No IPv6 loopback where the archive is built: the transport's classes then load from the jar.
            System.err.println("warmup: no socket on the IPv6 loopback address: " + e);
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
        return 0;
    }
}
