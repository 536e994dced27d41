package io.kubepd.agent.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.crd.v1alpha1.PlannedRoute;
import io.kubepd.crd.v1alpha1.RouteType;
import io.kubepd.testkit.lab.ExecResult;
import io.kubepd.testkit.lab.LabAssumptions;
import io.kubepd.testkit.lab.LabNode;
import io.kubepd.testkit.lab.LabProcess;
import io.kubepd.testkit.lab.Netns;
import io.kubepd.testkit.lab.NetnsLab;
import io.kubepd.testkit.lab.Poll;
import io.kubepd.testkit.lab.Route;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reconciler against a real kernel: a node namespace of the lab gets kubepd's routes, and the lab router, routing
 * the delegated prefix to the node as a real upstream router does, pings into it.
 */
class RouteReconcilerIT {
  private static final String PROTOCOL = String.valueOf(KernelRoute.PROTOCOL);
  private static final Ipv6Cidr OLD_DELEGATED = Ipv6Cidr.parse("2001:db8:100::/56");
  private static final Ipv6Cidr OLD_ANYIP = Ipv6Cidr.parse("2001:db8:100::/64");
  private static final Ipv6Cidr NEW_DELEGATED = Ipv6Cidr.parse("2001:db8:200::/56");
  private static final Ipv6Cidr NEW_ANYIP = Ipv6Cidr.parse("2001:db8:200::/64");
  private static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(10);
  private static final SecureRandom RANDOM = new SecureRandom();

  @RegisterExtension
  final NetnsLab lab = NetnsLab.builder().build();

  private LabNode node;
  private Netns router;
  private IpRouteTable table;

  @BeforeEach
  void connectNodeAsAClusterNode() {
    node = lab.node(1);
    router = lab.router();
    table = IpRouteTable.inNamespace(node.netns().name());
    // What a Kubernetes node has: forwarding on (for its pods), an address on the router's link, a default route.
    node.netns().sysctl("net.ipv6.conf.all.forwarding=1");
    node.netns().execOk("ip", "-6", "addr", "add", "2001:db8:ffff::100/64", "dev", node.interfaceName(), "nodad");
    node.netns().execOk("ip", "-6", "route", "add", "default", "via", NetnsLab.ROUTER_LINK_LOCAL,
        "dev", node.interfaceName(), "proto", "static");
  }

  @Test
  void programsAnAnyIpRouteInTableLocalAndAnUnreachableRouteInMainWithProtocol249() {
    try (RouteReconciler routes = RouteReconciler.builder(table).build()) {
      ReconcileResult result = routes.apply(plan(OLD_ANYIP, OLD_DELEGATED, null));

      assertThat(result).extracting(ReconcileResult::added, ReconcileResult::failed).containsExactly(2, 0);
      assertThat(node.netns().routes()).filteredOn(r -> PROTOCOL.equals(r.protocol())).containsExactlyInAnyOrder(
          new Route(OLD_ANYIP.toString(), null, "lo", "local", PROTOCOL, "local", KernelRoute.METRIC),
          new Route(OLD_DELEGATED.toString(), null, "lo", "main", PROTOCOL, "unreachable", KernelRoute.METRIC));
      assertThat(table.owned()).containsExactlyInAnyOrder(
          KernelRoute.local(OLD_ANYIP, "lo"), KernelRoute.unreachable(OLD_DELEGATED));

      ReconcileResult again = routes.apply(plan(OLD_ANYIP, OLD_DELEGATED, null));

      assertThat(again.noop()).as("second apply: %s", again).isTrue();
      assertThat(again.unchanged()).isEqualTo(2);
    }
  }

  @Test
  void theNodeAnswersEveryAnyIpAddressAndRefusesTheRestOfThePrefixInsteadOfLoopingIt() {
    routeDelegatedPrefixToNode(OLD_DELEGATED);
    String outsideAnyIp = randomAddressIn(Ipv6Cidr.parse("2001:db8:100:5::/64"));

    // The loop below makes the node send a Time Exceeded to the router; the ICMPv6 rate limit (one error per second
    // per destination) would then swallow the Destination Unreachable this test waits for.
    node.netns().sysctl("net.ipv6.icmp.ratelimit=0");
    router.sysctl("net.ipv6.icmp.ratelimit=0");
    // Without kubepd's routes the node sends the packets back along its default route: a loop until hop limit.
    assertThat(ping(outsideAnyIp).stdout()).contains("Time exceeded");

    try (RouteReconciler routes = RouteReconciler.builder(table).build()) {
      routes.apply(plan(OLD_ANYIP, OLD_DELEGATED, null));

      for (int i = 0; i < 3; i++) {
        String anyIp = randomAddressIn(OLD_ANYIP);
        assertThat(ping(anyIp).ok()).as("ping %s from the router", anyIp).isTrue();
      }
      ExecResult refused = ping(outsideAnyIp);
      assertThat(refused.ok()).isFalse();
      assertThat(refused.stdout()).as("%s", refused).contains("Destination unreachable");
    }
  }

  @Test
  void theResyncTimerRestoresAHandDeletedRouteAndRemovesAStaleOneOfItsProtocol() {
    try (RouteReconciler routes = RouteReconciler.builder(table).resyncPeriod(Duration.ofMillis(100)).build()) {
      routes.start();
      routes.apply(plan(OLD_ANYIP, OLD_DELEGATED, null));

      node.netns().execOk("ip", "-6", "route", "del", "local", OLD_ANYIP.toString(), "dev", "lo", "table", "local");
      assertThat(hasOwned(KernelRoute.LOOPBACK, OLD_ANYIP, "local")).isFalse();
      Poll.until(ROUTE_TIMEOUT, "resync to restore " + OLD_ANYIP, () -> hasOwned("lo", OLD_ANYIP, "local"));

      node.netns().execOk("ip", "-6", "route", "add", "unreachable", "2001:db8:999::/64", "proto", PROTOCOL);
      Poll.until(ROUTE_TIMEOUT, "resync to remove the stale 2001:db8:999::/64",
          () -> node.netns().routes().stream().noneMatch(r -> r.destination().equals("2001:db8:999::/64")));
      assertThat(table.owned()).containsExactlyInAnyOrder(
          KernelRoute.local(OLD_ANYIP, "lo"), KernelRoute.unreachable(OLD_DELEGATED));
    }
  }

  @Test
  void routesOfOtherProtocolsInTheSamePrefixSpaceAreNeverTouched() {
    node.netns().execOk("ip", "-6", "route", "add", "unreachable", OLD_DELEGATED.toString(), "proto", "static");
    node.netns().execOk("ip", "-6", "route", "add", "local", "2001:db8:100:1::/64", "dev", "lo", "table", "local",
        "proto", "boot");
    node.netns().execOk("ip", "-6", "route", "add", "2001:db8:100:2::/64", "via", NetnsLab.ROUTER_LINK_LOCAL,
        "dev", node.interfaceName(), "proto", "static");
    // Same table, destination and metric as a route kubepd is asked for: the kernel has room for one only.
    node.netns().execOk("ip", "-6", "route", "add", "local", "2001:db8:100:3::/64", "dev", "lo", "table", "local",
        "proto", "static", "metric", String.valueOf(KernelRoute.METRIC));
    List<Route> foreign = foreignRoutes();
    RoutePlan withCollision = RoutePlan.fromStatus(List.of(
        new PlannedRoute(RouteType.Local, OLD_ANYIP.toString(), "lo", null),
        new PlannedRoute(RouteType.Local, "2001:db8:100:3::/64", "lo", null),
        new PlannedRoute(RouteType.Unreachable, OLD_DELEGATED.toString(), null, null)));

    try (RouteReconciler routes = RouteReconciler.builder(table).keepRoutesOnExit(false).build()) {
      ReconcileResult result = routes.apply(withCollision);

      assertThat(result).extracting(ReconcileResult::added, ReconcileResult::failed).containsExactly(2, 1);
      assertThat(result.failures()).singleElement().satisfies(f -> assertThat(f.message()).startsWith(
          "another route already holds 2001:db8:100:3::/64 metric 2048 in table local; kubepd leaves routes it does"
              + " not own alone"));
      assertThat(foreignRoutes()).isEqualTo(foreign);

      assertThat(routes.resync().orElseThrow().added()).as("retried, and refused again").isZero();
      routes.apply(RoutePlan.empty());
      assertThat(table.owned()).isEmpty();
      assertThat(foreignRoutes()).isEqualTo(foreign);
      routes.apply(plan(OLD_ANYIP, OLD_DELEGATED, null));
    }
    assertThat(table.owned()).as("flushed on close").isEmpty();
    assertThat(foreignRoutes()).isEqualTo(foreign);
  }

  @Test
  void renumberingAddsTheNewRoutesBeforeRemovingTheOldOnes() {
    LabProcess monitor = node.netns().spawn("ip-monitor", Map.of(), "ip", "-6", "monitor", "route");
    // The monitor is listening once it reports a route added after it started.
    Poll.until(ROUTE_TIMEOUT, "ip monitor to listen", () -> {
      node.netns().exec("ip", "-6", "route", "replace", "unreachable", "2001:db8:ffee::/64", "proto", "static");
      return monitor.logText().contains("2001:db8:ffee::/64");
    });
    try (RouteReconciler routes = RouteReconciler.builder(table).build()) {
      routes.apply(plan(OLD_ANYIP, OLD_DELEGATED, null));
      AtomicBoolean sampling = new AtomicBoolean(true);
      List<List<String>> seen = Collections.synchronizedList(new ArrayList<>());
      CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> {
        while (sampling.get()) {
          seen.add(node.netns().routes().stream().filter(r -> r.table().equals("local")).map(Route::destination)
              .toList());
        }
      });
      Poll.until(ROUTE_TIMEOUT, "the first route sample", () -> !seen.isEmpty() || sampler.isDone());

      ReconcileResult renumbered = routes.apply(plan(NEW_ANYIP, NEW_DELEGATED, null));

      Poll.until(ROUTE_TIMEOUT, "ip monitor to report the old unreachable route deleted",
          () -> monitor.logText().contains("Deleted unreachable " + OLD_DELEGATED));
      sampling.set(false);
      sampler.join();
      assertThat(renumbered).extracting(ReconcileResult::added, ReconcileResult::removed).containsExactly(2, 2);
      assertThat(seen).as("local routes sampled during renumbering").allSatisfy(
          locals -> assertThat(locals).containsAnyOf(OLD_ANYIP.toString(), NEW_ANYIP.toString()));
      List<String> events = monitor.logText().lines().filter(l -> l.contains("proto " + PROTOCOL)).toList();
      assertThat(events).containsSubsequence(
          "local " + OLD_ANYIP + " dev lo table local proto 249 metric 2048 pref medium",
          "local " + NEW_ANYIP + " dev lo table local proto 249 metric 2048 pref medium",
          "Deleted local " + OLD_ANYIP + " dev lo table local proto 249 metric 2048 pref medium");
      assertThat(indexOfStart(events, "unreachable " + NEW_DELEGATED))
          .isLessThan(indexOfStart(events, "Deleted local " + OLD_ANYIP))
          .isLessThan(indexOfStart(events, "Deleted unreachable " + OLD_DELEGATED));
    }
  }

  @Test
  void aDrainingPrefixKeepsServingUntilItsExpiresAtThenTheExpiryTimerRemovesIt() {
    routeDelegatedPrefixToNode(OLD_DELEGATED);
    routeDelegatedPrefixToNode(NEW_DELEGATED);
    String podOnOldPrefix = randomAddressIn(OLD_ANYIP);
    // An hour: only the expiry timer can remove the draining routes within this test.
    try (RouteReconciler routes = RouteReconciler.builder(table).resyncPeriod(Duration.ofHours(1)).build()) {
      routes.start();
      routes.apply(plan(OLD_ANYIP, OLD_DELEGATED, null));
      Instant expiresAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);

      RoutePlan renumbered = plan(NEW_ANYIP, NEW_DELEGATED, null);
      RoutePlan draining = plan(OLD_ANYIP, OLD_DELEGATED, expiresAt.toString());
      List<PlannedRoute> both = new ArrayList<>(statusRoutes(renumbered));
      both.addAll(statusRoutes(draining));
      ReconcileResult applied = routes.apply(RoutePlan.fromStatus(both));

      assertThat(applied).extracting(ReconcileResult::added, ReconcileResult::removed, ReconcileResult::unchanged)
          .containsExactly(2, 0, 2);
      assertThat(ping(randomAddressIn(NEW_ANYIP)).ok()).isTrue();
      assertThat(ping(podOnOldPrefix).ok()).as("old prefix while draining").isTrue();

      Poll.until(ROUTE_TIMEOUT, "the draining routes to go at " + expiresAt,
          () -> !hasOwned("lo", OLD_ANYIP, "local") && !hasOwned("lo", OLD_DELEGATED, "main"));
      Instant removedBy = Instant.now();

      assertThat(removedBy).isAfterOrEqualTo(expiresAt);
      assertThat(table.owned()).containsExactlyInAnyOrder(
          KernelRoute.local(NEW_ANYIP, "lo"), KernelRoute.unreachable(NEW_DELEGATED));
      assertThat(ping(podOnOldPrefix).ok()).as("old prefix after expiry").isFalse();
      assertThat(ping(randomAddressIn(NEW_ANYIP)).ok()).isTrue();
    }
  }

  @Test
  void closeKeepsTheRoutesByDefaultAndFlushesThemWhenConfigured() {
    node.netns().execOk("ip", "-6", "route", "add", "unreachable", OLD_DELEGATED.toString(), "proto", "static");
    List<Route> foreign = foreignRoutes();
    List<KernelRoute> planned = List.of(KernelRoute.local(OLD_ANYIP, "lo"), KernelRoute.unreachable(OLD_DELEGATED));

    try (RouteReconciler routes = RouteReconciler.builder(table).build()) {
      routes.apply(plan(OLD_ANYIP, OLD_DELEGATED, null));
    }
    assertThat(table.owned()).as("kept on exit").containsExactlyInAnyOrderElementsOf(planned);

    try (RouteReconciler restarted = RouteReconciler.builder(table).keepRoutesOnExit(false).build()) {
      assertThat(restarted.apply(plan(OLD_ANYIP, OLD_DELEGATED, null)).noop()).as("kept routes reused").isTrue();
    }
    assertThat(table.owned()).as("flushed on exit").isEmpty();
    assertThat(foreignRoutes()).isEqualTo(foreign);
  }

  @Test
  void withoutCapNetAdminEachChangeFailsSayingSo() {
    if (LabAssumptions.findBinary("setpriv").isEmpty()) {
      String reason = "setpriv (util-linux) is needed to drop privileges";
      if (LabAssumptions.strict()) {
        Assertions.fail(reason + " and CI=true");
      }
      Assumptions.abort(reason);
    }
    IpRouteTable unprivileged = new IpRouteTable(List.of("ip", "netns", "exec", node.netns().name(),
        "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "ip"),
        Duration.ofSeconds(10));

    try (RouteReconciler routes = RouteReconciler.builder(unprivileged).build()) {
      ReconcileResult result = routes.apply(plan(OLD_ANYIP, OLD_DELEGATED, null));

      assertThat(result.added()).isZero();
      assertThat(result.failures()).hasSize(2).allSatisfy(f -> assertThat(f.message())
          .startsWith("permission denied: the agent needs CAP_NET_ADMIN to change routes"));
    }
    assertThat(table.owned()).isEmpty();
  }

  /** The plan the operator writes for one prefix: AnyIP on lo plus unreachable for the whole delegated prefix. */
  private static RoutePlan plan(Ipv6Cidr anyIp, Ipv6Cidr delegated, String expiresAt) {
    return RoutePlan.fromStatus(List.of(
        new PlannedRoute(RouteType.Local, anyIp.toString(), "lo", expiresAt),
        new PlannedRoute(RouteType.Unreachable, delegated.toString(), null, expiresAt)));
  }

  private static List<PlannedRoute> statusRoutes(RoutePlan plan) {
    return plan.routes().stream().map(e -> new PlannedRoute(
        e.route().kind().equals(RouteKind.LOCAL) ? RouteType.Local : RouteType.Unreachable,
        e.route().destination().toString(), e.route().device(),
        e.expiresAt() == null ? null : e.expiresAt().toString())).toList();
  }

  /** What the upstream router does for a delegated prefix: route it to the requesting node's link-local address. */
  private void routeDelegatedPrefixToNode(Ipv6Cidr delegated) {
    router.execOk("ip", "-6", "route", "add", delegated.toString(), "via", node.linkLocal(),
        "dev", NetnsLab.ROUTER_INTERFACE);
  }

  private ExecResult ping(String address) {
    return router.exec(Duration.ofSeconds(5), "ping", "-6", "-n", "-c", "1", "-W", "2", address);
  }

  private boolean hasOwned(String device, Ipv6Cidr destination, String table) {
    return node.netns().routes().stream().anyMatch(r -> PROTOCOL.equals(r.protocol())
        && r.destination().equals(destination.toString()) && device.equals(r.device()) && r.table().equals(table));
  }

  private List<Route> foreignRoutes() {
    return node.netns().routes().stream().filter(r -> !PROTOCOL.equals(r.protocol())).toList();
  }

  private static int indexOfStart(List<String> lines, String start) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(start + " ")) {
        return i;
      }
    }
    throw new AssertionError("no line starting with '" + start + "' in " + lines);
  }

  private static String randomAddressIn(Ipv6Cidr prefix) {
    byte[] bytes = prefix.address().getAddress();
    byte[] noise = new byte[16];
    RANDOM.nextBytes(noise);
    for (int bit = prefix.length(); bit < 128; bit++) {
      int mask = 0x80 >>> (bit % 8);
      bytes[bit / 8] = (byte) ((bytes[bit / 8] & ~mask) | (noise[bit / 8] & mask));
    }
    // Not the subnet-router anycast address: a pod would never get it.
    bytes[15] |= 1;
    try {
      return Ipv6Cidr.format((Inet6Address) InetAddress.getByAddress(bytes));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always an address", e);
    }
  }
}
