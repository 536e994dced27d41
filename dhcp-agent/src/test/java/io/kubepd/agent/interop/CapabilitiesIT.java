package io.kubepd.agent.interop;

import static io.kubepd.agent.interop.AgentAssertions.BIND_TIMEOUT;
import static io.kubepd.agent.interop.AgentAssertions.awaitServerLease;
import static io.kubepd.agent.interop.AgentAssertions.duid;
import static io.kubepd.agent.interop.AgentAssertions.event;
import static io.kubepd.agent.interop.AgentAssertions.prefix;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.agent.route.IpRouteTable;
import io.kubepd.agent.route.Ipv6Cidr;
import io.kubepd.agent.route.KernelRoute;
import io.kubepd.agent.route.RouteChange;
import io.kubepd.testkit.lab.Dhcp6ServerConfig;
import io.kubepd.testkit.lab.Ipv6Prefix;
import io.kubepd.testkit.lab.KeaServer;
import io.kubepd.testkit.lab.LabAssumptions;
import io.kubepd.testkit.lab.LabNode;
import io.kubepd.testkit.lab.NetnsLab;
import io.kubepd.testkit.lab.PdPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent with exactly the capabilities the chart's DaemonSet adds, run as the chart runs it: uid 0, every other
 * capability out of the bounding set, no_new_privs. With them it binds UDP 546, gets a prefix from Kea and writes its
 * routes; without any one of them, the thing that capability is there for fails. A capability added to the chart
 * without such a check fails {@link #everyCapabilityOfTheChartHasACheckHere()}. Needs root, Kea and setpriv; skips
 * otherwise, fails under {@code CI=true}.
 */
class CapabilitiesIT {

    @RegisterExtension
    static final NetnsLab LAB = NetnsLab.builder().build();

    private static final Path DAEMONSET = Path.of("..", "helm", "kubepd", "templates", "agent", "daemonset.yaml");
    private static final PdPool POOL = PdPool.of("2001:db8:100::/48", 56);
    private static final Set<String> CHECKED = Set.of("NET_ADMIN", "NET_BIND_SERVICE");
    private static final Ipv6Cidr DELEGATED = Ipv6Cidr.parse("2001:db8:300::/56");
    private static final Ipv6Cidr POD_CIDR = Ipv6Cidr.parse("2001:db8:300::/64");

    @TempDir
    Path stateDir;

    @BeforeAll
    static void needsSetpriv() {
        LabAssumptions.assumeNetnsLab();
        LabAssumptions.binary("setpriv");
    }

    @Test
    void everyCapabilityOfTheChartHasACheckHere() throws IOException {
        assertThat(chartCapabilities())
                .as("capabilities the chart adds (%s); each needs a test here showing what fails without it",
                        DAEMONSET)
                .containsExactlyInAnyOrderElementsOf(CHECKED);
    }

    @Test
    void theLauncherLeavesTheProcessExactlyTheChartsCapabilities() throws IOException {
        List<String> command = new ArrayList<>(launcher(chartCapabilities()));
        command.addAll(List.of("cat", "/proc/self/status"));
        String status = node().netns().execOk(command.toArray(String[]::new)).stdout();
        long expected = 0;
        for (String capability : chartCapabilities()) {
            expected |= 1L << capabilityNumber(capability);
        }

        assertThat(field(status, "Uid")).isZero();
        assertThat(field(status, "CapEff")).isEqualTo(expected);
        assertThat(field(status, "CapPrm")).isEqualTo(expected);
        assertThat(field(status, "CapBnd")).isEqualTo(expected);
        assertThat(field(status, "NoNewPrivs")).isEqualTo(1);
    }

    @Test
    void getsAPrefixFromKeaWithTheChartsCapabilities() throws IOException {
        KeaServer kea = LAB.kea(Dhcp6ServerConfig.forLab(LAB, POOL).withRapidCommit(true));

        AgentProcess agent = AgentProcess.standalone(LAB, node(), stateDir, launcher(chartCapabilities()),
                "--rapid-commit", "--no-initial-delay", "--once", "--timeout", "20s");

        assertThat(agent.awaitExit(BIND_TIMEOUT)).as(agent.describe()).isZero();
        Ipv6Prefix prefix = prefix(agent.events().stream().filter(event("bound")).findFirst().orElseThrow());
        assertThat(POOL.delegates(prefix)).isTrue();
        awaitServerLease(kea, prefix, duid(stateDir));
        assertThat(agent.log()).contains("listening on [fe80:");
    }

    @Test
    void withoutNetBindServiceTheClientPortCannotBeBound() throws IOException {
        LAB.kea(Dhcp6ServerConfig.forLab(LAB, POOL).withRapidCommit(true));
        Set<String> without = without("NET_BIND_SERVICE");

        AgentProcess agent = AgentProcess.standalone(LAB, node(), stateDir, launcher(without),
                "--rapid-commit", "--no-initial-delay", "--once", "--timeout", "5s");

        assertThat(agent.awaitExit(BIND_TIMEOUT)).as(agent.describe()).isNotZero();
        assertThat(agent.events()).noneMatch(event("bound"));
        assertThat(agent.log()).contains("cannot bind", "]:546", "Permission denied", "CAP_NET_BIND_SERVICE");
    }

    @Test
    void writesItsRoutesWithTheChartsCapabilities() throws IOException {
        IpRouteTable table = tableRunningWith(chartCapabilities());
        List<RouteChange> changes = List.of(
                RouteChange.replace(KernelRoute.local(POD_CIDR, KernelRoute.LOOPBACK)),
                RouteChange.replace(KernelRoute.unreachable(DELEGATED)));
        try {
            assertThat(table.apply(changes)).isEmpty();
            assertThat(table.owned()).containsExactlyInAnyOrder(
                    KernelRoute.local(POD_CIDR, KernelRoute.LOOPBACK), KernelRoute.unreachable(DELEGATED));
        } finally {
            IpRouteTable.inNamespace(node().netns().name()).apply(List.of(
                    RouteChange.delete(KernelRoute.local(POD_CIDR, KernelRoute.LOOPBACK)),
                    RouteChange.delete(KernelRoute.unreachable(DELEGATED))));
        }
    }

    @Test
    void withoutNetAdminRoutesCannotBeWritten() throws IOException {
        IpRouteTable table = tableRunningWith(without("NET_ADMIN"));

        assertThat(table.apply(List.of(RouteChange.replace(KernelRoute.unreachable(DELEGATED)))).values())
                .singleElement().asString().contains("CAP_NET_ADMIN", "Operation not permitted");
        assertThat(IpRouteTable.inNamespace(node().netns().name()).owned()).isEmpty();
    }

    private static LabNode node() {
        return LAB.node(1);
    }

    /** The agent's route table, its {@code ip} run in the node's namespace with only {@code capabilities}. */
    private static IpRouteTable tableRunningWith(Set<String> capabilities) {
        List<String> ip = new ArrayList<>(List.of("ip", "netns", "exec", node().netns().name()));
        ip.addAll(launcher(capabilities));
        ip.add("ip");
        return new IpRouteTable(ip, Duration.ofSeconds(10));
    }

    /**
     * What a container runtime does for the chart's securityContext (runAsUser 0, capabilities drop ALL and add,
     * allowPrivilegeEscalation false): uid 0 keeps only the added capabilities, and no_new_privs is set.
     */
    private static List<String> launcher(Set<String> capabilities) {
        String keep = String.join(",", capabilities.stream().map(c -> "+" + c.toLowerCase(Locale.ROOT)).toList());
        return List.of(LabAssumptions.binary("setpriv").toString(), "--inh-caps=-all",
                "--bounding-set=-all" + (keep.isEmpty() ? "" : "," + keep), "--no-new-privs", "--");
    }

    private static Set<String> without(String capability) throws IOException {
        Set<String> rest = new TreeSet<>(chartCapabilities());
        assertThat(rest.remove(capability)).as("the chart adds %s", capability).isTrue();
        return rest;
    }

    /** The list under {@code capabilities: add:} of the agent's DaemonSet template. */
    static Set<String> chartCapabilities() throws IOException {
        List<String> lines = Files.readAllLines(DAEMONSET);
        Set<String> added = new TreeSet<>();
        boolean inCapabilities = false;
        boolean inAdd = false;
        Pattern item = Pattern.compile("^\\s*-\\s*\"?([A-Z_]+)\"?\\s*$");
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.equals("capabilities:")) {
                inCapabilities = true;
            } else if (inCapabilities && trimmed.equals("add:")) {
                inAdd = true;
            } else if (inAdd && !trimmed.startsWith("#")) {
                Matcher m = item.matcher(line);
                if (!m.matches()) {
                    break;
                }
                added.add(m.group(1));
            }
        }
        assertThat(added).as("capabilities under securityContext.capabilities.add in %s", DAEMONSET).isNotEmpty();
        return added;
    }

    private static int capabilityNumber(String capability) {
        return switch (capability) {
            case "NET_BIND_SERVICE" -> 10;
            case "NET_ADMIN" -> 12;
            default -> throw new AssertionError("add " + capability + "'s number (linux/capability.h)");
        };
    }

    private static long field(String status, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ":\\s*(\\S+)").matcher(status);
        assertThat(m.find()).as("%s in /proc/self/status", name).isTrue();
        return Long.parseUnsignedLong(m.group(1), name.startsWith("Cap") ? 16 : 10);
    }
}
