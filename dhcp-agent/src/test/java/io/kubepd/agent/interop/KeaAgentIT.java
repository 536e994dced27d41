package io.kubepd.agent.interop;

import static io.kubepd.agent.interop.AgentAssertions.BIND_TIMEOUT;
import static io.kubepd.agent.interop.AgentAssertions.awaitNoServerLease;
import static io.kubepd.agent.interop.AgentAssertions.awaitServerLease;
import static io.kubepd.agent.interop.AgentAssertions.duid;
import static io.kubepd.agent.interop.AgentAssertions.event;
import static io.kubepd.agent.interop.AgentAssertions.prefix;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubepd.agent.client.Lease;
import io.kubepd.agent.lease.LeaseStore;
import io.kubepd.agent.lease.StateDirectory;
import io.kubepd.testkit.lab.DelegatedPrefixLease;
import io.kubepd.testkit.lab.Dhcp6ServerConfig;
import io.kubepd.testkit.lab.Dhcp6Timers;
import io.kubepd.testkit.lab.Ipv6Prefix;
import io.kubepd.testkit.lab.KeaServer;
import io.kubepd.testkit.lab.LabNode;
import io.kubepd.testkit.lab.NetnsLab;
import io.kubepd.testkit.lab.PdPool;
import io.kubepd.testkit.lab.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent (shaded jar, own process, inside a lab node's namespace) against ISC Kea: every exchange of a lease's
 * life on the wire, checked against Kea's own lease database. Needs root and Kea; skips otherwise, fails under
 * {@code CI=true}.
 */
class KeaAgentIT {

    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.builder().build();

    private static final PdPool POOL = PdPool.of("2001:db8:100::/48", 56);
    private static final PdPool RENUMBERED = PdPool.of("2001:db8:200::/48", 56);
    // Short enough that Renew and Rebind happen within seconds; T2 - T1 leaves room to restart Kea in between.
    private static final Dhcp6Timers FAST = Dhcp6Timers.ofSeconds(4, 8, 12, 16);

    @TempDir
    Path stateDir;

    private static LabNode node() {
        return LAB.node(1);
    }

    private static KeaServer kea(boolean rapidCommit) {
        return LAB.kea(Dhcp6ServerConfig.forLab(LAB, POOL).withTimers(FAST).withRapidCommit(rapidCommit));
    }

    @Test
    void rapidCommitBindsAPrefixFromThePoolThatKeaRecords() {
        KeaServer kea = kea(true);
        AgentProcess agent = AgentProcess.standalone(LAB, node(), stateDir,
                "--rapid-commit", "--no-initial-delay", "--once", "--timeout", "20s");

        assertThat(agent.awaitExit(BIND_TIMEOUT)).as(agent.describe()).isZero();

        List<JsonNode> events = agent.events();
        assertThat(events).hasSize(1);
        JsonNode bound = events.get(0);
        assertThat(bound.path("event").asText()).isEqualTo("bound");
        Ipv6Prefix prefix = prefix(bound);
        assertThat(POOL.delegates(prefix)).as("%s from %s", prefix, POOL).isTrue();
        assertThat(bound.path("validLifetime").asLong()).isEqualTo(16);
        assertThat(bound.path("t1").asLong()).isEqualTo(4);
        DelegatedPrefixLease lease = awaitServerLease(kea, prefix, duid(stateDir));
        assertThat(lease.iaid()).isEqualTo(bound.path("iaid").asLong());
        // Two messages: the Reply came straight to the Solicit.
        assertThat(agent.log()).contains("SOLICITING -> BOUND").doesNotContain("REQUESTING");
    }

    @Test
    void theDnsServersAndSearchDomainsKeaSendsAreKeptWithTheLease() {
        LAB.kea(Dhcp6ServerConfig.forLab(LAB, POOL).withTimers(FAST).withRapidCommit(true)
                .withDns(List.of("2001:db8:ffff::53", "2001:db8:ffff::35"), List.of("lab.example.net", "example.net")));
        AgentProcess agent = AgentProcess.standalone(LAB, node(), stateDir,
                "--rapid-commit", "--no-initial-delay", "--once", "--timeout", "20s");

        assertThat(agent.awaitExit(BIND_TIMEOUT)).as(agent.describe()).isZero();

        JsonNode bound = agent.events().get(0);
        assertThat(bound.path("dnsServers")).extracting(JsonNode::asText)
                .containsExactly("2001:db8:ffff::53", "2001:db8:ffff::35");
        assertThat(bound.path("domainSearchList")).extracting(JsonNode::asText)
                .containsExactly("lab.example.net", "example.net");
    }

    @Test
    void fourMessageExchangeWhenKeaDoesNotAllowRapidCommit() {
        KeaServer kea = kea(false);
        AgentProcess agent = AgentProcess.standalone(LAB, node(), stateDir,
                "--rapid-commit", "--no-initial-delay", "--once", "--timeout", "20s");

        assertThat(agent.awaitExit(BIND_TIMEOUT)).as(agent.describe()).isZero();

        Ipv6Prefix prefix = prefix(agent.events().get(0));
        assertThat(POOL.delegates(prefix)).isTrue();
        awaitServerLease(kea, prefix, duid(stateDir));
        assertThat(agent.log()).contains("SOLICITING -> REQUESTING", "REQUESTING -> BOUND");
    }

    @Test
    void renewsAtT1AndRebindsAtT2WhileKeaRestarts() {
        KeaServer kea = kea(false);
        AgentProcess agent = AgentProcess.standalone(LAB, node(), stateDir, "--no-initial-delay");
        Ipv6Prefix prefix = prefix(agent.awaitEvent(BIND_TIMEOUT, "bound", event("bound")));

        agent.awaitEvent(Duration.ofSeconds(10), "renewed at T1", event("renewed", prefix));

        // Kea goes away mid-lease: the next Renew goes unanswered, and Rebind at T2 reaches the restarted Kea.
        kea.stop();
        agent.awaitLogAfter(agent.log().length(), Duration.ofSeconds(10), "BOUND -> RENEWING (T1 reached)");
        int before = agent.events().size();
        kea.start();
        JsonNode rebound = agent.awaitEventAfter(before, Duration.ofSeconds(15), "rebound at T2",
                event("rebound", prefix));

        assertThat(rebound.path("validLifetime").asLong()).isEqualTo(16);
        assertThat(agent.log()).contains("RENEWING -> REBINDING");
        awaitServerLease(kea, prefix, duid(stateDir));
        assertThat(agent.events()).noneMatch(event("expired").or(event("withdrawn")));
    }

    @Test
    void renumberingIsReportedAtTheNextRenewAndTheOldPrefixIsWithdrawn() throws IOException {
        KeaServer kea = kea(false);
        Path hookLog = LAB.newDir("hook").resolve("hook.log");
        AgentProcess agent = AgentProcess.standalone(LAB, node(), stateDir, "--no-initial-delay", "--on-change",
                "echo \"$KUBEPD_EVENT $KUBEPD_INTERFACE $KUBEPD_OLD_PREFIX $KUBEPD_NEW_PREFIX\" >> " + hookLog);
        Ipv6Prefix old = prefix(agent.awaitEvent(BIND_TIMEOUT, "bound", event("bound")));

        Instant reconfigured = Instant.now();
        int before = agent.events().size();
        kea.reconfigurePool(RENUMBERED);

        JsonNode changed = agent.awaitEventAfter(before, Duration.ofSeconds(15), "changed to the new pool",
                event("changed"));
        Ipv6Prefix renumbered = prefix(changed);
        assertThat(RENUMBERED.delegates(renumbered)).as("%s from %s", renumbered, RENUMBERED).isTrue();
        assertThat(changed.path("oldPrefix").asText()).isEqualTo(old.toString());
        // Reported at the Renew after the change (T1 = 4 s after the last Reply), not before the server changed.
        assertThat(Instant.parse(changed.path("time").asText())).isAfter(reconfigured);
        // Kea answers the Renew with the old prefix at lifetime 0: withdrawn, not silently kept.
        agent.awaitEventAfter(before, Duration.ofSeconds(5), "old prefix withdrawn",
                event("withdrawn", old).or(event("expired", old)));
        awaitServerLease(kea, renumbered, duid(stateDir));

        agent.awaitEventAfter(agent.events().size(), Duration.ofSeconds(10), "renewed on the new prefix",
                event("renewed", renumbered));
        // The dhclient-hook use case: the script learns both prefixes of the change.
        Poll.until(Duration.ofSeconds(5), "hook run for the change", () -> Files.exists(hookLog));
        assertThat(Files.readAllLines(hookLog))
                .startsWith("bound " + node().interfaceName() + "  " + old)
                .contains("changed " + node().interfaceName() + " " + old + " " + renumbered);
    }

    @Test
    void eachUplinkGetsItsOwnPrefixUnderOneDuid() {
        KeaServer kea = kea(true);
        // A second uplink of the same node on the same link, as a node with two NICs.
        String second = "uplink1";
        LAB.router().execOk("ip", "link", "add", "r-n1b", "type", "veth", "peer", "name", second, "netns",
                node().netns().name());
        try {
            // Like the lab's own bridge ports: frames only, no address of its own.
            LAB.router().sysctl("net.ipv6.conf.r-n1b.disable_ipv6=1");
            LAB.router().execOk("ip", "link", "set", "r-n1b", "master", NetnsLab.ROUTER_INTERFACE, "up");
            node().netns().execOk("ip", "link", "set", second, "up");

            AgentProcess agent = AgentProcess.standalone(LAB, node(), stateDir, "--interface", second,
                    "--rapid-commit", "--no-initial-delay", "--once", "--timeout", "20s");

            assertThat(agent.awaitExit(BIND_TIMEOUT)).as(agent.describe()).isZero();
            List<JsonNode> bound = agent.events().stream().filter(event("bound")).toList();
            assertThat(bound).extracting(e -> e.path("interface").asText())
                    .containsExactlyInAnyOrder(node().interfaceName(), second);
            assertThat(bound).extracting(e -> e.path("iaid").asLong()).doesNotHaveDuplicates();
            assertThat(bound).extracting(AgentAssertions::prefix).doesNotHaveDuplicates();
            for (JsonNode e : bound) {
                DelegatedPrefixLease lease = awaitServerLease(kea, prefix(e), duid(stateDir));
                assertThat(lease.iaid()).isEqualTo(e.path("iaid").asLong());
            }
        } finally {
            // Deleting one end removes the pair, so the other tests of this lab see one uplink again.
            LAB.router().execOk("ip", "link", "del", "r-n1b");
        }
    }

    @Test
    void threeIaPdsOnOneUplinkAreThreeLeasesInOneExchange() {
        KeaServer kea = kea(false);
        AgentProcess agent = AgentProcess.standalone(LAB, node(), stateDir, "--ia-pds", "3",
                "--no-initial-delay", "--once", "--timeout", "20s");

        // --once waits for every IA_PD, not the first.
        assertThat(agent.awaitExit(BIND_TIMEOUT)).as(agent.describe()).isZero();
        List<JsonNode> bound = agent.events().stream().filter(event("bound")).toList();
        assertThat(bound).hasSize(3);
        assertThat(bound).extracting(e -> e.path("iaid").asLong()).doesNotHaveDuplicates();
        assertThat(bound).extracting(AgentAssertions::prefix).doesNotHaveDuplicates()
                .allSatisfy(p -> assertThat(POOL.delegates(p)).as("%s from %s", p, POOL).isTrue());
        for (JsonNode e : bound) {
            DelegatedPrefixLease lease = awaitServerLease(kea, prefix(e), duid(stateDir));
            assertThat(lease.iaid()).isEqualTo(e.path("iaid").asLong());
        }
        // All IA_PDs in one Solicit and one Request (RFC 8415 §18.1), not an exchange each.
        assertThat(agent.log()).containsOnlyOnce("SOLICITING -> REQUESTING").containsOnlyOnce("REQUESTING -> BOUND");
    }

    @Test
    void releaseOnExitGivesThePrefixBackToKea() {
        KeaServer kea = kea(true);
        AgentProcess agent = AgentProcess.standalone(LAB, node(), stateDir,
                "--rapid-commit", "--no-initial-delay", "--release-on-exit");
        Ipv6Prefix prefix = prefix(agent.awaitEvent(BIND_TIMEOUT, "bound", event("bound")));
        awaitServerLease(kea, prefix, duid(stateDir));

        int exit = agent.terminate();

        assertThat(exit).as("SIGTERM exit").isEqualTo(143);
        assertThat(agent.events()).last().satisfies(e -> assertThat(event("released", prefix).test(e)).isTrue());
        assertThat(agent.log()).contains("RELEASING -> STOPPED (Release acknowledged");
        awaitNoServerLease(kea, prefix);
        assertThat(stateDir.resolve("lease-" + node().interfaceName() + ".json")).doesNotExist();
    }

    @Test
    void restartedAgentRebindsTheSamePrefixWithoutReleasing() {
        KeaServer kea = kea(true);
        AgentProcess first = AgentProcess.standalone(LAB, node(), stateDir, "--rapid-commit", "--no-initial-delay");
        Ipv6Prefix prefix = prefix(first.awaitEvent(BIND_TIMEOUT, "bound", event("bound")));
        String duid = duid(stateDir);

        assertThat(first.terminate()).isEqualTo(143);
        assertThat(first.events()).noneMatch(event("released"));
        assertThat(stateDir.resolve("lease-" + node().interfaceName() + ".json")).exists();
        awaitServerLease(kea, prefix, duid);

        AgentProcess second = AgentProcess.standalone(LAB, node(), stateDir, "--rapid-commit", "--no-initial-delay");
        second.awaitEvent(BIND_TIMEOUT, "rebound", event("rebound", prefix));

        assertThat(second.events().get(0).path("event").asText()).isEqualTo("restored");
        assertThat(second.events()).noneMatch(event("bound"));
        assertThat(second.log()).contains("INIT -> REBINDING");
        assertThat(duid(stateDir)).isEqualTo(duid);
    }

    @Test
    void interfaceDownAndUpRebindsTheSocketAndTheLeaseLivesOn() {
        kea(true);
        AgentProcess agent = AgentProcess.standalone(LAB, node(), stateDir, "--rapid-commit", "--no-initial-delay");
        Ipv6Prefix prefix = prefix(agent.awaitEvent(BIND_TIMEOUT, "bound", event("bound")));

        int logBefore = agent.log().length();
        node().netns().execOk("ip", "link", "set", node().interfaceName(), "down");
        agent.awaitLogAfter(logBefore, Duration.ofSeconds(5), "closed the socket, waiting for the interface");
        node().netns().execOk("ip", "link", "set", node().interfaceName(), "up");
        int before = agent.events().size();
        agent.awaitLogAfter(logBefore, Duration.ofSeconds(10), "listening on");

        agent.awaitEventAfter(before, Duration.ofSeconds(20), "renewed after the flap",
                event("renewed", prefix).or(event("rebound", prefix)));
        assertThat(agent.log().split("listening on", -1)).as("bound twice").hasSize(3);
    }

    @Test
    void anotherDhcpClientOnPort546IsNamedAndTheStoredLeaseKept() throws IOException {
        kea(true);
        Path leaseFile = stateDir.resolve("lease-" + node().interfaceName() + ".json");
        try (StateDirectory state = StateDirectory.open(stateDir)) {
            Instant now = Instant.now();
            new LeaseStore(state, node().interfaceName(), Clock.systemUTC()).save(List.of(new Lease(1,
                    "2001:db8:100:ff00::", 56, null, 600, 900, 300, 480, "00:01:00:01:aa:bb:cc:dd", now, now,
                    now.plusSeconds(900), Lease.State.ACTIVE)));
        }
        String stored = Files.readString(leaseFile);
        LAB.dhclient(node());
        Poll.until(Duration.ofSeconds(10), "dhclient to bind port 546",
                () -> node().netns().execOk("ss", "-H", "-u", "-l", "-n", "-p", "sport = :546").stdout()
                        .contains("dhclient"));

        AgentProcess agent = AgentProcess.standalone(LAB, node(), stateDir, "--no-initial-delay", "--once");

        assertThat(agent.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
        assertThat(agent.log()).containsPattern("UDP port 546 is already in use by dhclient \\(pid \\d+\\)");
        assertThat(agent.events()).isEmpty();
        // A start that failed must not cost the lease a working start would have rebound.
        assertThat(leaseFile).hasContent(stored);
    }

    @Test
    void missingInterfaceIsAClearError() {
        AgentProcess agent = AgentProcess.standalone(LAB, node(), stateDir, "--interface", "eth9", "--once");

        assertThat(agent.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
        assertThat(agent.log()).contains("interface eth9 not found; set --interface");
        assertThat(Files.exists(stateDir.resolve("lease-eth9.json"))).isFalse();
    }
}
