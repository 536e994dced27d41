package io.kubepd.agent.transport;

import io.kubepd.agent.codec.Dhcp6Message;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP endpoint of one uplink: keeps a socket bound to the interface's link-local address on the client port while
 * the interface has a usable one, rebinds when the address, index or carrier changes, and sends to the servers'
 * multicast address out of that interface.
 *
 * <p>All state lives on one event loop, and messages reach the receiver on it.
 */
public final class UplinkTransport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UplinkTransport.class);
    // RFC 8415 messages to ff02::1:2 never leave the link; 1 is also what a router would enforce.
    private static final int MULTICAST_HOP_LIMIT = 1;
    static final String NEEDS_NET_BIND_SERVICE = "binding a port below net.ipv4.ip_unprivileged_port_start needs"
            + " CAP_NET_BIND_SERVICE; give the agent that capability (the chart's DaemonSet adds it)";
    private static final int REBIND_ATTEMPTS = 5;
    private static final long REBIND_RETRY_MILLIS = 20;

    /** What the owner of the transport hears about the link. */
    public interface LinkListener {
        /** A socket is bound on {@code link}: first bind or rebind after a change (the client may have moved). */
        void linkUp(UplinkState.Ready link);

        /** The socket was closed because the interface lost its usable address or disappeared; sends are dropped. */
        void linkDown(UplinkState state);

        /** The transport gave up, e.g. another process holds the client port; the message is for the user. */
        void failed(TransportException error);
    }

    private final TransportConfig config;
    private final UplinkProbe probe;
    private final UdpPortOwners portOwners;
    private final EventLoop loop;
    private final DatagramIo io;
    private final Consumer<ReceivedMessage> receiver;
    private final LinkListener listener;
    private final TransportMetrics metrics;

    // Fields below are only touched on the event loop.
    private UplinkState lastState;
    private Channel channel;
    private UplinkState.Ready bound;
    private boolean binding;
    private String lastBindProblem;
    private ScheduledFuture<?> linkCheck;
    private boolean closed;

    /**
     * @param receiver gets every well-formed server message, on the event loop
     */
    public UplinkTransport(TransportConfig config, UplinkProbe probe, UdpPortOwners portOwners, EventLoop loop,
            DatagramIo io, Consumer<ReceivedMessage> receiver, LinkListener listener, TransportMetrics metrics) {
        this.config = Objects.requireNonNull(config);
        this.probe = Objects.requireNonNull(probe);
        this.portOwners = Objects.requireNonNull(portOwners);
        this.loop = Objects.requireNonNull(loop);
        this.io = Objects.requireNonNull(io);
        this.receiver = Objects.requireNonNull(receiver);
        this.listener = Objects.requireNonNull(listener);
        this.metrics = Objects.requireNonNull(metrics);
    }

    public TransportMetrics metrics() {
        return metrics;
    }

    /**
     * Checks the interface once and starts watching it. The future fails if the interface does not exist or the first
     * bind finds the port taken; it completes when the socket is bound or, if the interface has no usable address yet,
     * right away (the transport then binds as soon as one appears).
     */
    public CompletableFuture<Void> start() {
        CompletableFuture<Void> started = new CompletableFuture<>();
        loop.execute(() -> {
            UplinkState state;
            try {
                state = probe.probe(config.interfaceName());
            } catch (IOException e) {
                started.completeExceptionally(new TransportException("cannot read the state of interface "
                        + config.interfaceName() + ": " + e.getMessage(), e));
                return;
            }
            if (state instanceof UplinkState.Missing) {
                started.completeExceptionally(
                        new TransportException("interface " + config.interfaceName() + " not found; set --interface"));
                return;
            }
            long interval = config.linkCheckInterval().toNanos();
            linkCheck = loop.scheduleWithFixedDelay(this::checkLink, interval, interval, TimeUnit.NANOSECONDS);
            apply(state, started);
        });
        return started;
    }

    /** Probes the interface now instead of at the next interval. */
    public CompletableFuture<Void> checkLinkNow() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            checkLink();
            done.complete(null);
        });
        return done;
    }

    /** The link the socket is bound on, if any. */
    public CompletableFuture<UplinkState.Ready> boundLink() {
        CompletableFuture<UplinkState.Ready> result = new CompletableFuture<>();
        loop.execute(() -> result.complete(channel != null ? bound : null));
        return result;
    }

    /**
     * Sends {@code message} out of the uplink to {@code destination}: All_DHCP_Relay_Agents_and_Servers means the
     * configured server address (that multicast group unless a test redirects it), anything else is a server's
     * unicast address. Without a bound socket the message is dropped with a debug line; the client's retransmission
     * covers that. {@code written} runs on the event loop once the datagram is written, failed or dropped.
     */
    public void send(Dhcp6Message message, Inet6Address destination, Runnable written) {
        loop.execute(() -> {
            if (channel == null) {
                metrics.sendFailed();
                LOG.debug("{}: not sent, no usable link-local address yet: {}", config.interfaceName(), message);
                written.run();
                return;
            }
            Inet6Address address = destination.equals(TransportConfig.ALL_DHCP_RELAY_AGENTS_AND_SERVERS)
                    ? config.serverAddress()
                    : destination;
            InetSocketAddress to = new InetSocketAddress(scoped(address, bound.ifindex()), config.serverPort());
            channel.writeAndFlush(new OutboundMessage(message, to)).addListener(f -> {
                if (f.isSuccess()) {
                    metrics.sent();
                } else {
                    metrics.sendFailed();
                    LOG.warn("{}: sending to {} failed: {}", config.interfaceName(), to, f.cause().toString());
                }
                written.run();
            });
        });
    }

    private void checkLink() {
        if (closed || binding) {
            return;
        }
        try {
            apply(probe.probe(config.interfaceName()), null);
        } catch (IOException e) {
            LOG.warn("{}: cannot read the interface state, will retry: {}", config.interfaceName(), e.toString());
        }
    }

    private void apply(UplinkState state, CompletableFuture<Void> started) {
        UplinkState previous = lastState;
        lastState = state;
        if (state instanceof UplinkState.Ready ready) {
            if (channel != null && ready.equals(bound)) {
                complete(started);
                return;
            }
            if (channel == null) {
                bind(ready, started, 1);
                return;
            }
            LOG.info("{}: link changed ({} -> {}); rebinding", config.interfaceName(), describe(bound),
                    describe(ready));
            binding = true;
            // The old socket must release the port first.
            closeChannel().addListener(f -> loop.execute(() -> bind(ready, started, REBIND_ATTEMPTS)));
            return;
        }
        if (channel != null) {
            LOG.warn("{}: {}; closed the socket, waiting for the interface to come back", config.interfaceName(),
                    reason(state));
            closeChannel();
            listener.linkDown(state);
        } else if (!state.equals(previous)) {
            LOG.info("{}: waiting: {} (checking every {} ms)", config.interfaceName(), reason(state),
                    config.linkCheckInterval().toMillis());
        }
        complete(started);
    }

    /**
     * Binds a socket on {@code ready}. Address-in-use is final unless attempts are left: right after closing our own
     * socket, NIO only releases its fd at the selector's next select, so a rebind may see our own port for a moment.
     */
    private void bind(UplinkState.Ready ready, CompletableFuture<Void> started, int attempts) {
        NetworkInterface netif;
        try {
            netif = NetworkInterface.getByIndex(ready.ifindex());
        } catch (SocketException e) {
            netif = null;
        }
        if (netif == null || closed) {
            // Gone between the probe and now; the next check sees it.
            binding = false;
            complete(started);
            return;
        }
        binding = true;
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channelFactory(io.newChannel()::get)
                .option(ChannelOption.IP_MULTICAST_IF, netif)
                .option(ChannelOption.IP_MULTICAST_TTL, MULTICAST_HOP_LIMIT)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(handlers(config.interfaceName(), receiver, metrics));
                    }
                });
        InetSocketAddress local = new InetSocketAddress(ready.linkLocal(), config.clientPort());
        bootstrap.bind(local).addListener((ChannelFuture f) -> {
            binding = false;
            if (closed) {
                f.channel().close();
                complete(started);
                return;
            }
            if (f.isSuccess()) {
                channel = f.channel();
                bound = ready;
                lastBindProblem = null;
                LOG.info("{}: listening on [{}]:{} ({}), sending to [{}]:{}", config.interfaceName(),
                        text(ready.linkLocal()), config.clientPort(), io.name(), text(config.serverAddress()),
                        config.serverPort());
                complete(started);
                listener.linkUp(ready);
                return;
            }
            Throwable cause = f.cause();
            if (isAddressInUse(cause) && attempts > 1) {
                binding = true;
                loop.schedule(() -> bind(ready, started, attempts - 1), REBIND_RETRY_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
            if (isAddressInUse(cause)) {
                TransportException conflict = portConflict(cause);
                LOG.error("{}", conflict.getMessage());
                if (started != null) {
                    started.completeExceptionally(conflict);
                } else {
                    listener.failed(conflict);
                }
                return;
            }
            // E.g. the address turned tentative again between probe and bind: retry at the next check.
            String problem = cause.toString();
            if (!problem.equals(lastBindProblem)) {
                if (hasMessage(cause, "Permission denied")) {
                    LOG.error("{}: cannot bind [{}]:{}, will retry: {}; {}", config.interfaceName(),
                            text(ready.linkLocal()), config.clientPort(), problem, NEEDS_NET_BIND_SERVICE);
                } else {
                    LOG.warn("{}: cannot bind [{}]:{}, will retry: {}", config.interfaceName(),
                            text(ready.linkLocal()), config.clientPort(), problem);
                }
                lastBindProblem = problem;
            }
            complete(started);
        });
    }

    /** The pipeline of an uplink's socket, decoder first: also what {@link OfflinePipeline} runs. */
    static ChannelHandler[] handlers(String interfaceName, Consumer<ReceivedMessage> receiver,
            TransportMetrics metrics) {
        return new ChannelHandler[] {
            new Dhcp6DatagramDecoder(interfaceName, metrics),
            new Dhcp6DatagramEncoder(),
            new InboundDelivery(interfaceName, receiver, metrics)
        };
    }

    private TransportException portConflict(Throwable cause) {
        List<UdpPortOwners.Owner> owners = portOwners.owners(config.clientPort());
        String who = owners.isEmpty()
                ? "another process, most likely another DHCPv6 client"
                        + " (dhclient, dhcpcd, systemd-networkd, NetworkManager)"
                : String.join(", ", owners.stream().map(UdpPortOwners.Owner::toString).toList());
        return new TransportException("UDP port " + config.clientPort() + " is already in use by " + who
                + "; stop that DHCPv6 client on " + config.interfaceName() + " (only one client may run per interface)",
                cause);
    }

    private static boolean isAddressInUse(Throwable cause) {
        return hasMessage(cause, "Address already in use");
    }

    // NIO throws BindException, also for EACCES; epoll throws its own IOException. Both carry the strerror text.
    private static boolean hasMessage(Throwable cause, String strerror) {
        return cause instanceof IOException && String.valueOf(cause.getMessage()).contains(strerror);
    }

    private ChannelFuture closeChannel() {
        ChannelFuture closed = channel.close();
        channel = null;
        bound = null;
        return closed;
    }

    private static void complete(CompletableFuture<Void> started) {
        if (started != null) {
            started.complete(null);
        }
    }

    private static String describe(UplinkState.Ready r) {
        return text(r.linkLocal()) + " index " + r.ifindex() + " carrier changes " + r.carrierChanges();
    }

    private static String reason(UplinkState state) {
        if (state instanceof UplinkState.NotReady notReady) {
            return notReady.reason();
        }
        return state instanceof UplinkState.Missing ? "interface " + state.name() + " does not exist" : "ready";
    }

    /** RFC 5952 text without the zone, which the log line names anyway. */
    private static String text(Inet6Address address) {
        return NetUtil.toAddressString(address);
    }

    private static Inet6Address scoped(Inet6Address address, int ifindex) {
        if (!address.isLinkLocalAddress() && !address.isMCLinkLocal()) {
            return address;
        }
        try {
            return Inet6Address.getByAddress(null, address.getAddress(), ifindex);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops watching the interface and closes the socket; completes when the socket is closed. */
    public CompletableFuture<Void> closeAsync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            closed = true;
            if (linkCheck != null) {
                linkCheck.cancel(false);
            }
            if (channel != null) {
                closeChannel().addListener(f -> done.complete(null));
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    /** {@link #closeAsync()} and wait; not from the event loop, which would wait for itself. */
    @Override
    public void close() {
        if (loop.inEventLoop()) {
            throw new IllegalStateException("close() on the event loop would deadlock; use closeAsync()");
        }
        closeAsync().join();
    }
}
