package io.kubepd.agent.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.kubepd.agent.client.DropReason;
import io.kubepd.agent.codec.Dhcp6Codec;
import io.kubepd.agent.codec.Dhcp6Message;
import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.codec.MessageType;
import io.kubepd.agent.codec.option.ClientIdOption;
import io.kubepd.agent.codec.option.ServerIdOption;
import io.kubepd.agent.lease.LeaseStore;
import io.kubepd.agent.lease.StateDirectory;
import io.kubepd.agent.transport.DatagramIo;
import io.kubepd.agent.transport.TransportConfig;
import io.kubepd.agent.transport.UplinkProbe;
import io.kubepd.testkit.lab.Poll;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole uplink (client, transport, lease file) on the loopback interface, which stands in for an uplink as in
 * UplinkTransportTest: a fake {@code if_inet6} gives {@code lo} the "link-local" address ::1, the ports are
 * unprivileged ones, and a plain socket plays the server.
 */
class UplinkTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Duid CLIENT = Duid.ll(new byte[] {2, 0x42, (byte) 0xac, 0x11, 0, 2});
    private static final Duid OTHER_CLIENT = Duid.ll(new byte[] {2, 0x42, (byte) 0xac, 0x11, 0, 3});
    private static final Duid SERVER = Duid.ll(new byte[] {2, 0, 0, 0, 0, 1});

    @TempDir
    Path root;
    private EventLoopGroup group;
    private Uplink uplink;
    private StateDirectory state;

    @AfterEach
    void tearDown() throws Exception {
        if (uplink != null) {
            uplink.stop(false, Duration.ZERO).get(10, TimeUnit.SECONDS);
        }
        if (group != null) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
        if (state != null) {
            state.close();
        }
    }

    @Test
    void countsWhatTheClientDropsWhereOtherThreadsCanReadIt() throws Exception {
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(loopback(), 0))) {
            server.setSoTimeout((int) PATIENCE.toMillis());
            start(server.getLocalPort());
            assertThat(uplink.clientDropCounts()).isEmpty();

            DatagramPacket solicit = new DatagramPacket(new byte[1500], 1500);
            server.receive(solicit);
            Dhcp6Message sent = Dhcp6Codec.decode(Arrays.copyOf(solicit.getData(), solicit.getLength()));
            assertThat(sent.type()).isEqualTo(MessageType.SOLICIT);
            SocketAddress client = solicit.getSocketAddress();

            send(server, client, Dhcp6Message.of(MessageType.ADVERTISE, sent.transactionId(),
                    new ClientIdOption(OTHER_CLIENT), new ServerIdOption(SERVER)));
            send(server, client, Dhcp6Message.of(MessageType.ADVERTISE, sent.transactionId(),
                    new ClientIdOption(CLIENT)));
            send(server, client, Dhcp6Message.of(MessageType.ADVERTISE, sent.transactionId(),
                    new ClientIdOption(CLIENT)));
            byte[] garbage = {2, 0, 0};
            server.send(new DatagramPacket(garbage, garbage.length, client));

            Poll.until(PATIENCE, "three drops counted", () -> uplink.clientDropCounts().values().stream()
                    .mapToLong(Long::longValue).sum() == 3);
            assertThat(uplink.clientDropCounts()).containsOnly(
                    entry(DropReason.WRONG_CLIENT_ID, 1L), entry(DropReason.MISSING_SERVER_ID, 2L));
            Poll.until(PATIENCE, "the malformed datagram counted by the transport",
                    () -> uplink.transportMetrics().droppedByReason().getOrDefault("malformed", 0L) == 1L);
        }
    }

    private void start(int serverPort) throws Exception {
        Path sys = Files.createDirectories(root.resolve("sys/class/net/lo"));
        Files.writeString(sys.resolve("ifindex"), Files.readString(Path.of("/sys/class/net/lo/ifindex")));
        Path ifInet6 = Files.writeString(root.resolve("if_inet6"),
                "00000000000000000000000000000001 01 80 20 80       lo\n");
        state = StateDirectory.open(Files.createDirectory(root.resolve("state")));
        DatagramIo io = DatagramIo.detect();
        group = new MultiThreadIoEventLoopGroup(1, io.ioHandlerFactory());
        TransportConfig transport = new TransportConfig("lo", freePort(), serverPort, loopback(), Duration.ofHours(1));
        uplink = new Uplink(new Uplink.Settings(transport, CLIENT, List.of(1L), 0, false, false),
                new LeaseStore(state, "lo", Clock.systemUTC()), group.next(), io,
                new UplinkProbe(root.resolve("sys/class/net"), ifInet6), event -> { }, failure -> { });
        uplink.start().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void send(DatagramSocket server, SocketAddress client, Dhcp6Message message) throws IOException {
        byte[] bytes = Dhcp6Codec.encode(message);
        server.send(new DatagramPacket(bytes, bytes.length, client));
    }

    private static int freePort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(loopback(), 0))) {
            return socket.getLocalPort();
        }
    }

    private static Inet6Address loopback() {
        try {
            return (Inet6Address) InetAddress.getByName("::1");
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
