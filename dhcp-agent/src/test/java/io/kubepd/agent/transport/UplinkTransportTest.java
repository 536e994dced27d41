package io.kubepd.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.kubepd.agent.codec.Dhcp6Codec;
import io.kubepd.agent.codec.Dhcp6Message;
import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.codec.MessageType;
import io.kubepd.agent.codec.option.ClientIdOption;
import io.kubepd.agent.codec.option.IaPdOption;
import io.kubepd.agent.codec.option.ServerIdOption;
import io.kubepd.testkit.lab.Poll;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the real netty socket lifecycle on the loopback interface, which stands in for an uplink: a fake
 * {@code if_inet6} gives {@code lo} the "link-local" address ::1, the ports are unprivileged ones.
 */
class UplinkTransportTest {

    private static final InetAddress LOOPBACK = loopback();

    @TempDir
    Path root;
    private Path ifInet6;
    private EventLoopGroup group;
    private UplinkTransport transport;
    private final BlockingQueue<ReceivedMessage> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> linkEvents = new LinkedBlockingQueue<>();

    private static final String UP = "up 0:0:0:0:0:0:0:1%1 index 1";
    private static final Duid CLIENT = Duid.ll(new byte[] {2, 0x42, (byte) 0xac, 0x11, 0, 2});
    private static final Dhcp6Message SOLICIT = Dhcp6Message.of(MessageType.SOLICIT, 0x123456,
            new ClientIdOption(CLIENT), IaPdOption.of(1, 0, 0));
    private static final Dhcp6Message ADVERTISE = Dhcp6Message.of(MessageType.ADVERTISE, 0x123456,
            new ClientIdOption(CLIENT), new ServerIdOption(Duid.ll(new byte[] {2, 0, 0, 0, 0, 1})));

    static DatagramIo[] ios() {
        return new DatagramIo[] {DatagramIo.detect(), DatagramIo.nio()};
    }

    private UplinkTransport transport(DatagramIo io, int clientPort, int serverPort) throws IOException {
        Path sys = Files.createDirectories(root.resolve("sys/class/net/lo"));
        Files.writeString(sys.resolve("ifindex"), Files.readString(Path.of("/sys/class/net/lo/ifindex")));
        ifInet6 = root.resolve("if_inet6");
        setLoopbackFlags("80");
        group = new MultiThreadIoEventLoopGroup(1, io.ioHandlerFactory());
        TransportConfig config = new TransportConfig("lo", clientPort, serverPort,
                (Inet6Address) LOOPBACK, Duration.ofHours(1));
        transport = new UplinkTransport(config, new UplinkProbe(root.resolve("sys/class/net"), ifInet6),
                new UdpPortOwners(), group.next(), io,
                received::add,
                new UplinkTransport.LinkListener() {
                    @Override
                    public void linkUp(UplinkState.Ready link) {
                        linkEvents.add("up " + link.linkLocal().getHostAddress() + " index " + link.ifindex());
                    }

                    @Override
                    public void linkDown(UplinkState state) {
                        linkEvents.add("down " + state.getClass().getSimpleName());
                    }

                    @Override
                    public void failed(TransportException error) {
                        linkEvents.add("failed " + error.getMessage());
                    }
                },
                new TransportMetrics());
        return transport;
    }

    /** Rewrites the fake if_inet6 so that lo has ::1 as its link-scope address with the given flags (hex). */
    private void setLoopbackFlags(String flags) throws IOException {
        Files.writeString(ifInet6, "00000000000000000000000000000001 01 80 20 " + flags + "       lo\n");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (transport != null) {
            transport.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @MethodSource("ios")
    void sendsToTheServerAddressAndDeliversWhatComesBack(DatagramIo io) throws Exception {
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            server.setSoTimeout(10_000);
            int clientPort = freePort();
            transport(io, clientPort, server.getLocalPort()).start().get(10, TimeUnit.SECONDS);
            assertThat(linkEvents.poll(10, TimeUnit.SECONDS)).isEqualTo(UP);

            CompletableFuture<Long> written = new CompletableFuture<>();
            transport.send(SOLICIT, TransportConfig.ALL_DHCP_RELAY_AGENTS_AND_SERVERS,
                    () -> written.complete(transport.metrics().sentCount()));
            DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
            server.receive(in);
            // The client's retransmission timer starts from this callback, after the write, not before it.
            assertThat(written.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(Dhcp6Codec.decode(Arrays.copyOf(in.getData(), in.getLength()))).isEqualTo(SOLICIT);
            assertThat(in.getPort()).isEqualTo(clientPort);

            byte[] garbage = {2, 0, 0};
            server.send(new DatagramPacket(garbage, garbage.length, in.getSocketAddress()));
            byte[] advertise = Dhcp6Codec.encode(ADVERTISE);
            server.send(new DatagramPacket(advertise, advertise.length, in.getSocketAddress()));
            ReceivedMessage got = received.poll(10, TimeUnit.SECONDS);
            assertThat(got.message()).isEqualTo(ADVERTISE);
            assertThat(got.source()).isEqualTo(server.getLocalSocketAddress());
            assertThat(transport.metrics().droppedByReason()).containsExactly(entry("malformed", 1L));
            assertThat(transport.metrics().sentCount()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("ios")
    void portHeldByAnotherSocketFailsNamingTheHolder(DatagramIo io) throws Exception {
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            int port = squatter.getLocalPort();
            assertThatThrownBy(() -> transport(io, port, freePort()).start().join())
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("UDP port " + port + " is already in use by java (pid "
                            + ProcessHandle.current().pid() + ")")
                    .hasMessageContaining("stop that DHCPv6 client on lo");
        }
    }

    @ParameterizedTest
    @MethodSource("ios")
    void missingInterfaceFailsWithTheFlagToSet(DatagramIo io) throws Exception {
        transport(io, freePort(), freePort());
        UplinkTransport eth9 = new UplinkTransport(new TransportConfig("eth9", freePort(), freePort(),
                TransportConfig.ALL_DHCP_RELAY_AGENTS_AND_SERVERS, Duration.ofHours(1)),
                new UplinkProbe(root.resolve("sys/class/net"), ifInet6), new UdpPortOwners(), group.next(), io,
                m -> { },
                NO_LISTENER, new TransportMetrics());
        assertThatThrownBy(() -> eth9.start().join())
                .cause()
                .isInstanceOf(TransportException.class)
                .hasMessage("interface eth9 not found; set --interface");
    }

    @ParameterizedTest
    @MethodSource("ios")
    void waitsForATentativeAddressThenBinds(DatagramIo io) throws Exception {
        transport(io, freePort(), freePort());
        setLoopbackFlags("c0");
        transport.start().get(10, TimeUnit.SECONDS);
        assertThat(transport.boundLink().get(10, TimeUnit.SECONDS)).isNull();
        CompletableFuture<Void> dropped = new CompletableFuture<>();
        transport.send(SOLICIT, TransportConfig.ALL_DHCP_RELAY_AGENTS_AND_SERVERS, () -> dropped.complete(null));
        // A message dropped for want of a socket still reports back, or the client's exchange would stall.
        dropped.get(10, TimeUnit.SECONDS);

        setLoopbackFlags("80");
        transport.checkLinkNow().get(10, TimeUnit.SECONDS);
        assertThat(linkEvents.poll(10, TimeUnit.SECONDS)).isEqualTo(UP);
        assertThat(transport.boundLink().get(10, TimeUnit.SECONDS).linkLocal()).isEqualTo(LOOPBACK);
        assertThat(transport.metrics().sendFailureCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("ios")
    void closesWhenTheAddressGoesAndRebindsWhenItComesBack(DatagramIo io) throws Exception {
        int clientPort = freePort();
        transport(io, clientPort, freePort()).start().get(10, TimeUnit.SECONDS);
        assertThat(linkEvents.poll(10, TimeUnit.SECONDS)).isEqualTo(UP);

        Files.writeString(ifInet6, "");
        transport.checkLinkNow().get(10, TimeUnit.SECONDS);
        assertThat(linkEvents.poll(10, TimeUnit.SECONDS)).isEqualTo("down NotReady");
        assertThat(transport.boundLink().get(10, TimeUnit.SECONDS)).isNull();
        // The port is really released: another socket can take it (NIO frees the fd at its next select, so wait).
        Poll.until(Duration.ofSeconds(10), "port " + clientPort + " released", () -> canBind(clientPort));

        setLoopbackFlags("80");
        transport.checkLinkNow().get(10, TimeUnit.SECONDS);
        assertThat(linkEvents.poll(10, TimeUnit.SECONDS)).isEqualTo(UP);
    }

    @ParameterizedTest
    @MethodSource("ios")
    void carrierFlapBetweenTwoChecksRebinds(DatagramIo io) throws Exception {
        transport(io, freePort(), freePort());
        Path carrier = root.resolve("sys/class/net/lo/carrier_changes");
        Files.writeString(carrier, "1\n");
        transport.start().get(10, TimeUnit.SECONDS);
        assertThat(linkEvents.poll(10, TimeUnit.SECONDS)).isEqualTo(UP);

        transport.checkLinkNow().get(10, TimeUnit.SECONDS);
        Files.writeString(carrier, "3\n");
        transport.checkLinkNow().get(10, TimeUnit.SECONDS);
        assertThat(linkEvents.poll(10, TimeUnit.SECONDS)).isEqualTo(UP);
        assertThat(transport.boundLink().get(10, TimeUnit.SECONDS).carrierChanges()).isEqualTo(3);
        assertThat(linkEvents).isEmpty();
    }

    private static final UplinkTransport.LinkListener NO_LISTENER = new UplinkTransport.LinkListener() {
        @Override
        public void linkUp(UplinkState.Ready link) {
        }

        @Override
        public void linkDown(UplinkState state) {
        }

        @Override
        public void failed(TransportException error) {
        }
    };

    private static boolean canBind(int port) {
        try {
            new DatagramSocket(new InetSocketAddress(LOOPBACK, port)).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return s.getLocalPort();
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByName("::1");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
