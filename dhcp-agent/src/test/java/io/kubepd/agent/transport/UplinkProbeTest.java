package io.kubepd.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.agent.identity.HardwareAddress;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UplinkProbeTest {

    @TempDir
    Path root;
    private Path sys;
    private Path ifInet6;
    private UplinkProbe probe;

    @BeforeEach
    void setUp() throws IOException {
        sys = Files.createDirectories(root.resolve("sys/class/net"));
        ifInet6 = root.resolve("if_inet6");
        probe = new UplinkProbe(sys, ifInet6);
        link("eth0", 4, "02:42:ac:11:00:02");
    }

    private void link(String name, int index, String mac) throws IOException {
        Path dir = Files.createDirectories(sys.resolve(name));
        Files.writeString(dir.resolve("ifindex"), index + "\n");
        Files.writeString(dir.resolve("type"), "1\n");
        Files.writeString(dir.resolve("address"), mac + "\n");
    }

    @Test
    void missingInterface() throws IOException {
        Files.writeString(ifInet6, "");
        assertThat(probe.probe("eth9")).isEqualTo(new UplinkState.Missing("eth9"));
    }

    @Test
    void picksTheLinkLocalAddressWithScopeId() throws IOException {
        // Lines as the kernel prints them: global address first (scope 00), then the link-local one (scope 20).
        Files.writeString(ifInet6, """
                00000000000000000000000000000001 01 80 10 80       lo
                20010db8000000010000000000000002 04 40 00 80     eth0
                fe800000000000000042acfffe110002 04 40 20 80     eth0
                """);
        UplinkState state = probe.probe("eth0");
        assertThat(state).isInstanceOf(UplinkState.Ready.class);
        UplinkState.Ready ready = (UplinkState.Ready) state;
        assertThat(ready.ifindex()).isEqualTo(4);
        assertThat(ready.linkLocal()).isEqualTo(InetAddress.getByName("fe80::42:acff:fe11:2%4"));
        assertThat(ready.linkLocal().getScopeId()).isEqualTo(4);
    }

    @Test
    void tentativeLinkLocalIsNotReady() throws IOException {
        Files.writeString(ifInet6, "fe800000000000000042acfffe110002 04 40 20 c0     eth0\n");
        UplinkState state = probe.probe("eth0");
        assertThat(state).isInstanceOf(UplinkState.NotReady.class);
        assertThat(((UplinkState.NotReady) state).reason()).contains("tentative");
    }

    @Test
    void dadFailedLinkLocalIsNotReadyButAnotherOneIs() throws IOException {
        Files.writeString(ifInet6, """
                fe800000000000000042acfffe110002 04 40 20 88     eth0
                fe800000000000000000000000000099 04 40 20 80     eth0
                """);
        UplinkState.Ready ready = (UplinkState.Ready) probe.probe("eth0");
        assertThat(ready.linkLocal()).isEqualTo((Inet6Address) InetAddress.getByName("fe80::99%4"));
    }

    @Test
    void interfaceWithoutLinkLocalIsNotReady() throws IOException {
        Files.writeString(ifInet6, "20010db8000000010000000000000002 04 40 00 80     eth0\n");
        assertThat(((UplinkState.NotReady) probe.probe("eth0")).reason()).contains("no IPv6 link-local address");
    }

    @Test
    void addressOfAnotherInterfaceWithAPrefixOfTheNameDoesNotCount() throws IOException {
        link("eth0.100", 7, "02:42:ac:11:00:02");
        Files.writeString(ifInet6, "fe800000000000000042acfffe110002 07 40 20 80 eth0.100\n");
        assertThat(probe.probe("eth0")).isInstanceOf(UplinkState.NotReady.class);
    }

    @Test
    void hardwareAddressFromSysfs() throws IOException {
        assertThat(probe.hardwareAddress("eth0")).contains(HardwareAddress.parse(1, "02:42:ac:11:00:02"));
        assertThat(probe.hardwareAddress("eth9")).isEmpty();
    }

    @Test
    void readsTheRealLoopback() throws IOException {
        UplinkProbe real = new UplinkProbe();
        assertThat(real.probe("lo")).isNotInstanceOf(UplinkState.Missing.class);
        assertThat(real.probe("kubepd-no-such-if")).isInstanceOf(UplinkState.Missing.class);
    }
}
