package io.kubepd.agent.interop;

import static io.kubepd.agent.interop.AgentAssertions.BIND_TIMEOUT;
import static io.kubepd.agent.interop.AgentAssertions.awaitNoServerLease;
import static io.kubepd.agent.interop.AgentAssertions.awaitServerLease;
import static io.kubepd.agent.interop.AgentAssertions.duid;
import static io.kubepd.agent.interop.AgentAssertions.event;
import static io.kubepd.agent.interop.AgentAssertions.prefix;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubepd.testkit.lab.DelegatedPrefixLease;
import io.kubepd.testkit.lab.Dhcp6ServerConfig;
import io.kubepd.testkit.lab.Dhcp6Timers;
import io.kubepd.testkit.lab.IscDhcpdServer;
import io.kubepd.testkit.lab.Ipv6Prefix;
import io.kubepd.testkit.lab.LabNode;
import io.kubepd.testkit.lab.NetnsLab;
import io.kubepd.testkit.lab.PdPool;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent against ISC dhcpd, the lab's second server: the core of a lease's life (bind, renew, release, a
 * server that lost its bindings), checked against dhcpd's lease file. Needs root and dhcpd; skips otherwise, fails under {@code CI=true}.
 */
class IscDhcpdAgentIT {

    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.builder().build();

    private static final PdPool POOL = PdPool.of("2001:db8:300::/48", 60);
    private static final Dhcp6Timers FAST = Dhcp6Timers.ofSeconds(4, 8, 12, 16);

    @TempDir
    Path stateDir;

    private static LabNode node() {
        return LAB.node(1);
    }

    private static IscDhcpdServer dhcpd(boolean rapidCommit) {
        return LAB.iscDhcpd(Dhcp6ServerConfig.forLab(LAB, POOL).withTimers(FAST).withRapidCommit(rapidCommit));
    }

    @Test
    void bindsWithTheFourMessageExchange() {
        IscDhcpdServer dhcpd = LAB.iscDhcpd(Dhcp6ServerConfig.forLab(LAB, POOL).withTimers(FAST)
                .withDns(java.util.List.of("2001:db8:ffff::53"), java.util.List.of("example.net")));
        AgentProcess agent = AgentProcess.standalone(LAB, node(), stateDir,
                "--no-initial-delay", "--prefix-length", "60", "--once", "--timeout", "20s");

        assertThat(agent.awaitExit(BIND_TIMEOUT)).as(agent.describe()).isZero();

        JsonNode bound = agent.events().get(0);
        assertThat(bound.path("event").asText()).isEqualTo("bound");
        Ipv6Prefix prefix = prefix(bound);
        assertThat(POOL.delegates(prefix)).as("%s from %s", prefix, POOL).isTrue();
        DelegatedPrefixLease lease = awaitServerLease(dhcpd, prefix, duid(stateDir));
        assertThat(lease.iaid()).isEqualTo(bound.path("iaid").asLong());
        assertThat(agent.log()).contains("SOLICITING -> REQUESTING", "REQUESTING -> BOUND");
        assertThat(bound.path("dnsServers")).extracting(JsonNode::asText).containsExactly("2001:db8:ffff::53");
        assertThat(bound.path("domainSearchList")).extracting(JsonNode::asText).containsExactly("example.net");
    }

    @Test
    void bindsWithRapidCommit() {
        IscDhcpdServer dhcpd = dhcpd(true);
        AgentProcess agent = AgentProcess.standalone(LAB, node(), stateDir,
                "--rapid-commit", "--no-initial-delay", "--once", "--timeout", "20s");

        assertThat(agent.awaitExit(BIND_TIMEOUT)).as(agent.describe()).isZero();

        Ipv6Prefix prefix = prefix(agent.events().get(0));
        awaitServerLease(dhcpd, prefix, duid(stateDir));
        assertThat(agent.log()).contains("SOLICITING -> BOUND");
    }

    @Test
    void renewsAtT1() {
        dhcpd(false);
        AgentProcess agent = AgentProcess.standalone(LAB, node(), stateDir, "--no-initial-delay");
        Ipv6Prefix prefix = prefix(agent.awaitEvent(BIND_TIMEOUT, "bound", event("bound")));

        JsonNode renewed = agent.awaitEvent(Duration.ofSeconds(10), "renewed at T1", event("renewed", prefix));
        assertThat(renewed.path("validLifetime").asLong()).isEqualTo(16);
        int first = agent.events().indexOf(renewed);
        agent.awaitEventAfter(first + 1, Duration.ofSeconds(10), "renewed again", event("renewed", prefix));
        assertThat(agent.log()).contains("BOUND -> RENEWING", "RENEWING -> BOUND");
    }

    @Test
    void aServerThatLostItsBindingsIsAskedAgainAndTheSamePrefixStays() {
        IscDhcpdServer dhcpd = dhcpd(false);
        AgentProcess agent = AgentProcess.standalone(LAB, node(), stateDir, "--no-initial-delay");
        Ipv6Prefix prefix = prefix(agent.awaitEvent(BIND_TIMEOUT, "bound", event("bound")));
        awaitServerLease(dhcpd, prefix, duid(stateDir));

        // dhcpd answers the next Renew with NoBinding ("Prefix not bound to this interface."); the agent solicits
        // with its prefix as hint and dhcpd delegates it again: reported as renewed, never withdrawn.
        dhcpd.forgetBindings();
        int before = agent.events().size();
        agent.awaitEventAfter(before, Duration.ofSeconds(20), "renewed after the server forgot",
                event("renewed", prefix));
        awaitServerLease(dhcpd, prefix, duid(stateDir));
        assertThat(agent.log()).contains("NoBinding", "RENEWING -> SOLICITING (server ", "has no binding for an IA");
        assertThat(agent.events().subList(before, agent.events().size()))
                .noneMatch(event("withdrawn")).noneMatch(event("changed")).noneMatch(event("expired"));
    }

    @Test
    void releaseOnExitGivesThePrefixBack() {
        IscDhcpdServer dhcpd = dhcpd(false);
        AgentProcess agent = AgentProcess.standalone(LAB, node(), stateDir, "--no-initial-delay",
                "--release-on-exit");
        Ipv6Prefix prefix = prefix(agent.awaitEvent(BIND_TIMEOUT, "bound", event("bound")));
        awaitServerLease(dhcpd, prefix, duid(stateDir));

        assertThat(agent.terminate()).isEqualTo(143);

        assertThat(agent.events()).anyMatch(event("released", prefix));
        assertThat(agent.log()).contains("RELEASING -> STOPPED (Release acknowledged");
        awaitNoServerLease(dhcpd, prefix);
    }
}
