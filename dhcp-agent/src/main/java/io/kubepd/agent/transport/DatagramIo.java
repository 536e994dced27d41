package io.kubepd.agent.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.util.function.Supplier;

/**
 * The netty I/O implementation for UDP on this machine: native epoll on Linux, NIO where the native library cannot
 * load (another OS or architecture, a noexec /tmp).
 *
 * @param name "epoll" or "nio", for the log
 * @param ioHandlerFactory what an event loop group of this flavour is built from
 * @param newChannel makes an unbound IPv6 datagram channel of this flavour
 */
public record DatagramIo(String name, IoHandlerFactory ioHandlerFactory, Supplier<DatagramChannel> newChannel) {

    /** Epoll if it is available, NIO otherwise. */
    public static DatagramIo detect() {
        if (Epoll.isAvailable()) {
            return new DatagramIo("epoll", EpollIoHandler.newFactory(),
                    () -> new EpollDatagramChannel(SocketProtocolFamily.INET6));
        }
        return nio();
    }

    /** The portable flavour. */
    public static DatagramIo nio() {
        return new DatagramIo("nio", NioIoHandler.newFactory(),
                () -> new NioDatagramChannel(SocketProtocolFamily.INET6));
    }
}
