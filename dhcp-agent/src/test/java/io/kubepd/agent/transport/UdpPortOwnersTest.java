package io.kubepd.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UdpPortOwnersTest {

    @TempDir
    Path proc;

    @Test
    void namesTheProcessWhoseFdPointsAtTheSocketInode() throws IOException {
        Files.createDirectories(proc.resolve("net"));
        // Port 546 = 0x0222; inode 31337 bound on [::]:546, another socket on an unrelated port.
        Files.writeString(proc.resolve("net/udp6"), """
                    sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
                  12: 00000000000000000000000000000000:0222 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 31337 2 0000000000000000 0
                  13: 00000000000000000000000000000000:0223 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4242 2 0000000000000000 0
                """);
        Files.writeString(proc.resolve("net/udp"), "  sl  local_address rem_address   st\n");
        process(812, "dhclient", "socket:[31337]");
        process(900, "sshd", "socket:[4242]");
        process(901, "bash", "/dev/pts/0");

        assertThat(new UdpPortOwners(proc).owners(546))
                .containsExactly(new UdpPortOwners.Owner(812, "dhclient"));
        assertThat(new UdpPortOwners(proc).owners(548)).isEmpty();
    }

    private void process(long pid, String comm, String fdTarget) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(dir.resolve("comm"), comm + "\n");
        Files.createDirectories(dir.resolve("fd"));
        Files.createSymbolicLink(dir.resolve("fd/3"), Path.of(fdTarget));
    }

    @Test
    void findsThisJvmHoldingAPortOnTheRealSystem() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            assertThat(new UdpPortOwners().owners(socket.getLocalPort()))
                    .extracting(UdpPortOwners.Owner::pid)
                    .contains(ProcessHandle.current().pid());
        }
    }
}
