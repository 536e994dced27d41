package io.kubepd.testkit.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Proves the lab with known-good software: ISC dhclient gets delegated prefixes from Kea and from ISC dhcpd. */
class LabSelfTestIT {
  private static final Duration LEASE_TIMEOUT = Duration.ofSeconds(15);
  private static final PdPool POOL = PdPool.of("2001:db8:100::/48", 60);
  private static final PdPool RENUMBERED_POOL = PdPool.of("2001:db8:200::/48", 56);

  @RegisterExtension
  static final NetnsLab LAB = NetnsLab.builder().nodes(2).build();

  @Test
  void nodesReachTheRouterOverTheirUplinkOnly() {
    LabNode node = LAB.node(1);

    assertThat(LAB.router().name()).startsWith(LAB.id()).endsWith("-router");
    assertThat(node.netns().name()).isEqualTo(LAB.id() + "-n1");
    assertThat(node.netns().ping6(NetnsLab.ROUTER_LINK_LOCAL + "%" + node.interfaceName())).isTrue();
    assertThat(LAB.node(2).netns().ping6(node.linkLocal() + "%" + LAB.node(2).interfaceName())).isTrue();
    assertThat(node.netns().routes())
        .anySatisfy(r -> assertThat(r).extracting(Route::destination, Route::device, Route::table)
            .containsExactly("fe80::/64", node.interfaceName(), "main"));
    assertThat(LAB.router().addresses(NetnsLab.ROUTER_INTERFACE)).extracting(InterfaceAddress::address)
        .contains(NetnsLab.ROUTER_LINK_LOCAL, LAB.routerAddress());
  }

  @Test
  void keaDelegatesAPrefixFromItsPool() {
    KeaServer kea = LAB.kea(POOL);
    DhclientPd client = LAB.dhclient(LAB.node(1));

    Ipv6Prefix prefix = client.awaitPrefix(LEASE_TIMEOUT);

    assertThat(POOL.delegates(prefix)).as("%s from %s", prefix, POOL).isTrue();
    assertTimersReached(client, Dhcp6Timers.SHORT);
    assertThat(kea.implementation()).startsWith("ISC Kea ");
    assertThat(kea.leases()).singleElement().satisfies(lease -> {
      assertThat(lease.prefix()).isEqualTo(prefix);
      assertThat(lease.duid()).isEqualTo(clientDuid(client));
      assertThat(lease.validLifetimeSeconds()).isEqualTo(Dhcp6Timers.SHORT.valid().toSeconds());
    });
  }

  @Test
  void iscDhcpdDelegatesAPrefixFromItsPool() {
    IscDhcpdServer dhcpd = LAB.iscDhcpd(POOL);
    DhclientPd client = LAB.dhclient(LAB.node(1));

    Ipv6Prefix prefix = client.awaitPrefix(LEASE_TIMEOUT);

    assertThat(POOL.delegates(prefix)).as("%s from %s", prefix, POOL).isTrue();
    assertTimersReached(client, Dhcp6Timers.SHORT);
    assertThat(dhcpd.implementation()).startsWith("ISC dhcpd 4.");
    Poll.until(Duration.ofSeconds(5), "dhcpd to record the lease", () -> !dhcpd.leases().isEmpty());
    assertThat(dhcpd.leases()).singleElement().satisfies(lease -> {
      assertThat(lease.prefix()).isEqualTo(prefix);
      assertThat(lease.duid()).isEqualTo(clientDuid(client));
    });
  }

  @Test
  void keaReloadedWithANewPoolDelegatesFromItToAFreshClient() {
    KeaServer kea = LAB.kea(POOL);
    Ipv6Prefix before = LAB.dhclient(LAB.node(1)).awaitPrefix(LEASE_TIMEOUT);
    long pid = kea.pid();

    kea.reconfigurePool(RENUMBERED_POOL);
    Ipv6Prefix after = LAB.dhclient(LAB.node(2)).awaitPrefix(LEASE_TIMEOUT);

    assertThat(POOL.delegates(before)).isTrue();
    assertThat(RENUMBERED_POOL.delegates(after)).as("%s from %s", after, RENUMBERED_POOL).isTrue();
    assertThat(kea.pid()).as("reloaded in place, not restarted").isEqualTo(pid);
    assertThat(kea.leases()).extracting(DelegatedPrefixLease::prefix).contains(after);
  }

  @Test
  void iscDhcpdReconfiguredWithANewPoolDelegatesFromItToAFreshClient() {
    IscDhcpdServer dhcpd = LAB.iscDhcpd(POOL);
    dhcpd.reconfigurePool(RENUMBERED_POOL);

    Ipv6Prefix after = LAB.dhclient(LAB.node(2)).awaitPrefix(LEASE_TIMEOUT);

    assertThat(RENUMBERED_POOL.delegates(after)).as("%s from %s", after, RENUMBERED_POOL).isTrue();
  }

  @Test
  void keaStoppedIsGoneAndRestartedRemembersItsLeases() {
    KeaServer kea = LAB.kea(POOL);
    Ipv6Prefix prefix = LAB.dhclient(LAB.node(1)).awaitPrefix(LEASE_TIMEOUT);
    long firstPid = kea.pid();

    kea.stop();

    assertThat(kea.isRunning()).isFalse();
    assertThat(ProcessHandle.of(firstPid)).isEmpty();
    assertThat(LAB.router().exec("ss", "-H", "-u", "-l", "-n", "sport = :547").stdout()).isBlank();
    assertThat(kea.leases()).as("from the memfile while stopped").extracting(DelegatedPrefixLease::prefix)
        .containsExactly(prefix);

    kea.start();

    assertThat(kea.pid()).isNotEqualTo(firstPid);
    assertThat(kea.leases()).as("over the control socket").extracting(DelegatedPrefixLease::prefix)
        .containsExactly(prefix);
  }

  @Test
  void closingALabStopsItsProcessesAndRemovesItsNamespacesAndFiles() {
    NetnsLab lab = NetnsLab.builder().nodes(1).nodeInterface("eth-up").build().start();
    long keaPid;
    List<String> namespaces;
    Path dir;
    try (lab) {
      keaPid = lab.kea(POOL).pid();
      dir = lab.dir();
      namespaces = List.of(lab.router().name(), lab.node(1).netns().name());
      assertThat(lab.node(1).netns().linkLocal("eth-up")).isPresent();
      assertThat(lab.id()).isNotEqualTo(LAB.id());
    }

    assertThat(ProcessHandle.of(keaPid)).isEmpty();
    assertThat(namespaceNames()).doesNotContainAnyElementsOf(namespaces).contains(LAB.router().name());
    assertThat(dir).doesNotExist();
  }

  @Test
  void labsLeftByADeadTestRunAreSweptAndLiveOnesKept() throws IOException, InterruptedException {
    Process exited = new ProcessBuilder("true").start();
    exited.waitFor();
    String orphan = "kpd-" + exited.pid() + "-beef-router";
    Exec.run(List.of("ip", "netns", "add", orphan), Duration.ofSeconds(5)).orThrow();

    NetnsLab.sweepOrphans();

    assertThat(namespaceNames()).doesNotContain(orphan).contains(LAB.router().name());
  }

  @Test
  void keaWithRapidCommitAnswersSolicitWithReply() {
    LAB.kea(Dhcp6ServerConfig.forLab(LAB, POOL).withRapidCommit(true));
    DhclientPd client = LAB.dhclient(LAB.node(1), "send dhcp6.rapid-commit;");

    assertThat(POOL.delegates(client.awaitPrefix(LEASE_TIMEOUT))).isTrue();
    assertThat(client.logText()).contains("RCV: Reply message").doesNotContain("Advertise message");
  }

  @Test
  void iscDhcpdWithRapidCommitAnswersSolicitWithReply() {
    LAB.iscDhcpd(Dhcp6ServerConfig.forLab(LAB, POOL).withRapidCommit(true));
    DhclientPd client = LAB.dhclient(LAB.node(1), "send dhcp6.rapid-commit;");

    assertThat(POOL.delegates(client.awaitPrefix(LEASE_TIMEOUT))).isTrue();
    assertThat(client.logText()).contains("RCV: Reply message").doesNotContain("Advertise message");
  }

  @Test
  void keaWithoutRapidCommitAdvertisesFirst() {
    LAB.kea(POOL);
    DhclientPd client = LAB.dhclient(LAB.node(1), "send dhcp6.rapid-commit;");

    assertThat(POOL.delegates(client.awaitPrefix(LEASE_TIMEOUT))).isTrue();
    assertThat(client.logText()).contains("RCV: Advertise message");
  }

  private static List<String> namespaceNames() {
    return Arrays.stream(Exec.run(List.of("ip", "netns", "list"), Duration.ofSeconds(5)).orThrow().stdout().split("\n"))
        .map(line -> line.strip().split("\\s+")[0]).toList();
  }

  private static void assertTimersReached(DhclientPd client, Dhcp6Timers timers) {
    DhclientEvent bound = client.awaitEvent(Duration.ZERO, "BOUND6", e -> e.reason().equals("BOUND6"));
    assertThat(bound.environment())
        .containsEntry("new_renew", String.valueOf(timers.renew().toSeconds()))
        .containsEntry("new_rebind", String.valueOf(timers.rebind().toSeconds()))
        .containsEntry("new_preferred_life", String.valueOf(timers.preferred().toSeconds()))
        .containsEntry("new_max_life", String.valueOf(timers.valid().toSeconds()));
  }

  /** dhclient prints its DUID as unpadded hex bytes ({@code 0:1:0:1:...}); servers print {@code 00:01:00:01:...}. */
  private static String clientDuid(DhclientPd client) {
    String raw = client.awaitEvent(Duration.ZERO, "BOUND6", e -> e.reason().equals("BOUND6"))
        .environment().get("new_dhcp6_client_id");
    return Arrays.stream(raw.split(":")).map(b -> b.length() == 1 ? "0" + b : b).collect(Collectors.joining(":"));
  }
}
