package io.kubepd.agent.interop;

import static io.kubepd.agent.interop.AgentAssertions.BIND_TIMEOUT;
import static io.kubepd.agent.interop.AgentAssertions.awaitServerLease;
import static io.kubepd.agent.interop.AgentAssertions.duid;
import static io.kubepd.agent.interop.AgentAssertions.prefix;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubepd.agent.codec.Dhcp6Codec;
import io.kubepd.agent.codec.Dhcp6Message;
import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.codec.MessageType;
import io.kubepd.agent.codec.OptionCode;
import io.kubepd.agent.codec.option.ClientIdOption;
import io.kubepd.agent.codec.option.ElapsedTimeOption;
import io.kubepd.agent.codec.option.IaPdOption;
import io.kubepd.agent.codec.option.IaPrefixOption;
import io.kubepd.agent.codec.option.OroOption;
import io.kubepd.agent.codec.option.PdExcludeOption;
import io.kubepd.agent.codec.option.RapidCommitOption;
import io.kubepd.testkit.lab.Dhcp6ServerConfig;
import io.kubepd.testkit.lab.Ipv6Prefix;
import io.kubepd.testkit.lab.KeaServer;
import io.kubepd.testkit.lab.LabAssumptions;
import io.kubepd.testkit.lab.LabException;
import io.kubepd.testkit.lab.LabNode;
import io.kubepd.testkit.lab.NetnsLab;
import io.kubepd.testkit.lab.PdPool;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 6603 PD_EXCLUDE against ISC Kea: Kea excludes the same /62 from every /56 it delegates (a subnet ID that is
 * not a whole octet), sends the option only to a client whose ORO asks for it, and the real agent reports the
 * excluded prefix. Needs root, Kea and socat; skips otherwise, fails under {@code CI=true}.
 */
class KeaPdExcludeIT {

    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.builder().build();

    private static final PdPool POOL = PdPool.of("2001:db8:100::/48", 56).excluding("2001:db8:100:c::/62");

    @TempDir
    Path stateDir;

    private static LabNode node() {
        return LAB.node(1);
    }

    @Test
    void theAgentReportsAndSavesThePrefixKeaExcludes() throws IOException {
        KeaServer kea = LAB.kea(Dhcp6ServerConfig.forLab(LAB, POOL).withRapidCommit(true));
        AgentProcess agent = AgentProcess.standalone(LAB, node(), stateDir,
                "--rapid-commit", "--no-initial-delay", "--once", "--timeout", "20s");

        assertThat(agent.awaitExit(BIND_TIMEOUT)).as(agent.describe()).isZero();

        JsonNode bound = agent.events().get(0);
        Ipv6Prefix prefix = prefix(bound);
        assertThat(POOL.delegates(prefix)).as("%s from %s", prefix, POOL).isTrue();
        String excluded = POOL.excludedFrom(prefix).orElseThrow().toString();
        assertThat(bound.path("excludedPrefix").asText()).isEqualTo(excluded);
        assertThat(Files.readString(stateDir.resolve("lease-" + node().interfaceName() + ".json")))
                .contains("\"excludedPrefix\" : \"" + excluded + "\"");
        awaitServerLease(kea, prefix, duid(stateDir));
    }

    @Test
    void keaSendsPdExcludeOnlyToAClientWhoseOroAsksForIt() throws Exception {
        KeaServer kea = LAB.kea(Dhcp6ServerConfig.forLab(LAB, POOL).withRapidCommit(true));

        IaPrefixOption asked = delegated(exchange(kea, solicit(1, true)));
        IaPrefixOption notAsked = delegated(exchange(kea, solicit(2, false)));

        assertThat(notAsked.pdExcludes()).as("PD_EXCLUDE without asking in the ORO").isEmpty();
        assertThat(asked.pdExcludes()).singleElement().satisfies(option -> {
            // 6 bits from /56 to /62 take one octet; bits 56..61 of 2001:db8:100:XX0c::/62 are 000011.
            assertThat(option).isEqualTo(new PdExcludeOption(62, new byte[] {0x0c}));
            Inet6Address excluded = option.excludedPrefix(asked.prefix(), asked.prefixLength());
            assertThat(NetUtil.toAddressString(excluded) + "/62")
                    .isEqualTo(POOL.excludedFrom(Ipv6Prefix.parse(asked.cidr())).orElseThrow().toString());
        });
    }

    /** A Rapid Commit Solicit for one IA_PD from a client of its own, with or without PD_EXCLUDE in its ORO. */
    private static Dhcp6Message solicit(int client, boolean askForPdExclude) {
        List<OptionCode> oro = new ArrayList<>(List.of(OptionCode.SOL_MAX_RT));
        if (askForPdExclude) {
            oro.add(OptionCode.PD_EXCLUDE);
        }
        return Dhcp6Message.of(MessageType.SOLICIT, 0x5e1ec0 + client,
                new ClientIdOption(Duid.ll(new byte[] {0x02, 0x6c, 0x61, 0x62, 0, (byte) client})),
                new ElapsedTimeOption(0), new OroOption(oro), new RapidCommitOption(),
                IaPdOption.of(client, 0, 0, IaPrefixOption.of(0, 0, 56, NetUtil.getByName("::"))));
    }

    private static IaPrefixOption delegated(Dhcp6Message reply) {
        assertThat(reply.type()).isEqualTo(MessageType.REPLY);
        IaPdOption iaPd = reply.option(IaPdOption.class).orElseThrow();
        assertThat(iaPd.prefixes()).hasSize(1);
        IaPrefixOption prefix = iaPd.prefixes().get(0);
        assertThat(POOL.delegates(Ipv6Prefix.parse(prefix.cidr()))).as("%s from %s", prefix.cidr(), POOL).isTrue();
        return prefix;
    }

    /**
     * Sends {@code message} to All_DHCP_Relay_Agents_and_Servers from port 546 of the node's uplink and returns the
     * first answer. socat does the sending in the node's namespace, where the test JVM cannot go; its hex dump
     * ({@code -x}, one line per datagram) keeps the datagrams apart.
     */
    private static Dhcp6Message exchange(KeaServer kea, Dhcp6Message message) throws Exception {
        LabAssumptions.assumeSocat();
        node().linkLocal();
        List<byte[]> answers = List.of();
        // The first datagram can race the uplink's address becoming usable; another try is cheap.
        for (int attempt = 0; attempt < 3 && answers.isEmpty(); attempt++) {
            answers = socat(Dhcp6Codec.encode(message));
        }
        if (answers.isEmpty()) {
            throw new AssertionError("Kea did not answer " + message + "; log " + kea.log());
        }
        return Dhcp6Codec.decode(answers.get(0));
    }

    /** The datagrams received after sending {@code datagram}, from socat's hex dump of what it read. */
    private static List<byte[]> socat(byte[] datagram) throws IOException, InterruptedException {
        String iface = node().interfaceName();
        Process socat = new ProcessBuilder("ip", "netns", "exec", node().netns().name(),
                LabAssumptions.binary("socat").toString(), "-x", "-t", "2", "STDIO",
                "UDP6-DATAGRAM:[ff02::1:2%" + iface + "]:547,bind=[::]:546")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (OutputStream in = socat.getOutputStream()) {
            in.write(datagram);
        }
        List<String> dump = new String(socat.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        if (!socat.waitFor(10, TimeUnit.SECONDS)) {
            socat.destroyForcibly();
            throw new LabException("socat did not exit");
        }
        List<byte[]> received = new ArrayList<>();
        for (int i = 0; i + 1 < dump.size(); i++) {
            // "< 2026/01/01 00:00:00.000000  length=87 from=0 to=86", then the bytes as one line of hex.
            if (dump.get(i).startsWith("< ")) {
                received.add(HexFormat.of().parseHex(dump.get(i + 1).replace(" ", "")));
            }
        }
        return received;
    }
}
