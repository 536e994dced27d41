package io.kubepd.agent.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpRouteTableTest {
  private static final KernelRoute ANYIP = KernelRoute.local(Ipv6Cidr.parse("2001:db8:100::/64"), "lo");
  private static final KernelRoute DELEGATED = KernelRoute.unreachable(Ipv6Cidr.parse("2001:db8:100::/56"));

  /**
   * Captured from iproute2 6.1 on Linux 6.x: {@code ip -6 -json route show table all proto 249} in a namespace holding
   * kubepd's two kinds plus a blackhole, a host route via a gateway, a multipath route and a default route, all of
   * protocol 249. With the proto filter ip omits the protocol field; it omits type for unicast and table for main.
   */
  @Test
  void parsesCapturedOutputOfOwnedRoutes() throws IOException {
    List<KernelRoute> routes = IpRouteTable.parseRoutes(resource("ip-route-show-proto-249.json"));

    assertThat(routes).containsExactly(
        DELEGATED,
        new KernelRoute(RouteKind.of("blackhole"), Ipv6Cidr.parse("2001:db8:200::/64"), "lo", "main", 1024),
        new KernelRoute(RouteKind.of("unicast"), Ipv6Cidr.parse("2001:db8:300::1/128"), "v0", "main", 1024),
        new KernelRoute(RouteKind.of("unicast"), Ipv6Cidr.parse("2001:db8:400::/64"), null, "main", 1024),
        new KernelRoute(RouteKind.of("unicast"), Ipv6Cidr.parse("::/0"), "v0", "main", 4000),
        ANYIP);
    assertThat(routes.get(0).kind()).isSameAs(RouteKind.UNREACHABLE);
    assertThat(routes.get(5).kind()).isSameAs(RouteKind.LOCAL);
  }

  /** Captured from the same namespace without the proto filter: kernel routes, a static default, a foreign unreachable. */
  @Test
  void parsesCapturedOutputOfAllRoutes() throws IOException {
    List<KernelRoute> routes = IpRouteTable.parseRoutes(resource("ip-route-show-all.json"));

    assertThat(routes).hasSize(15)
        .contains(ANYIP, DELEGATED,
            new KernelRoute(RouteKind.UNREACHABLE, Ipv6Cidr.parse("2001:db8:100::/56"), "lo", "main", 1024),
            new KernelRoute(RouteKind.LOCAL, Ipv6Cidr.parse("::1/128"), "lo", "local", 0),
            new KernelRoute(RouteKind.of("multicast"), Ipv6Cidr.parse("ff00::/8"), "v0", "local", 256));
  }

  @Test
  void parsesEmptyOutputAsNoRoutes() {
    assertThat(IpRouteTable.parseRoutes("")).isEmpty();
    assertThat(IpRouteTable.parseRoutes("[]\n")).isEmpty();
  }

  @Test
  void rejectsOutputThatIsNoRouteList() {
    assertThatThrownBy(() -> IpRouteTable.parseRoutes("{\"dst\":\"::/0\"}")).isInstanceOf(RouteException.class)
        .hasMessageContaining("not a JSON array");
    assertThatThrownBy(() -> IpRouteTable.parseRoutes("[{\"dst\":")).isInstanceOf(RouteException.class)
        .hasMessageContaining("cannot parse");
  }

  @Test
  void skipsARouteItCannotName() {
    assertThat(IpRouteTable.parseRoutes("[{\"dst\":\"10.0.0.0/8\",\"dev\":\"lo\"},"
        + "{\"type\":\"local\",\"dst\":\"2001:db8:100::/64\",\"dev\":\"lo\",\"table\":\"local\",\"metric\":2048}]"))
        .containsExactly(ANYIP);
  }

  @Test
  void writesOneBatchLinePerChangeInOrderWithProtocolAndMetric() {
    KernelRoute stale = new KernelRoute(RouteKind.of("blackhole"), Ipv6Cidr.parse("2001:db8:200::/64"), "lo", "main", 1024);
    KernelRoute multipath = new KernelRoute(RouteKind.of("unicast"), Ipv6Cidr.parse("2001:db8:400::/64"), null, "main", 1024);

    String script = IpRouteTable.batchScript(List.of(RouteChange.add(ANYIP), RouteChange.replace(DELEGATED),
        RouteChange.delete(stale), RouteChange.delete(multipath)));

    assertThat(script).isEqualTo("""
        route add local 2001:db8:100::/64 dev lo table local proto 249 metric 2048
        route replace unreachable 2001:db8:100::/56 dev lo table main proto 249 metric 2048
        route del blackhole 2001:db8:200::/64 dev lo table main proto 249 metric 1024
        route del unicast 2001:db8:400::/64 table main proto 249 metric 1024
        """);
  }

  /** The stderr of {@code ip -6 -force -batch -} when lines 1 and 3 failed, as iproute2 6.1 prints it. */
  @Test
  void attributesBatchErrorsToTheirLines() {
    Map<Integer, String> errors = IpRouteTable.parseBatchErrors("""
        RTNETLINK answers: File exists
        Command failed -:1
        Error: inet6 prefix is expected rather than "x".
        RTNETLINK answers: No such process
        Command failed -:3
        """);

    assertThat(errors).containsExactly(
        Map.entry(1, "RTNETLINK answers: File exists"),
        Map.entry(3, "Error: inet6 prefix is expected rather than \"x\".; RTNETLINK answers: No such process"));
  }

  @Test
  void saysToInstallIproute2WhenIpIsMissing(@TempDir Path dir) {
    IpRouteTable table = new IpRouteTable(List.of(dir.resolve("ip").toString()), Duration.ofSeconds(5));

    assertThatThrownBy(table::owned).isInstanceOf(RouteException.class)
        .hasMessageStartingWith("iproute2 `ip` not found; the agent image must include iproute2");
    assertThatThrownBy(() -> table.apply(List.of(RouteChange.add(ANYIP)))).isInstanceOf(RouteException.class)
        .hasMessageStartingWith("iproute2 `ip` not found; the agent image must include iproute2");
  }

  /**
   * Runs a stand-in {@code ip} that reads the batch from stdin like ip does and fails as iproute2 6.1 does when it
   * lacks CAP_NET_ADMIN on line 1, finds a foreign route on line 2 and the route already gone on line 3.
   */
  @Test
  void explainsEachFailedLineAndIgnoresDeletingARouteThatIsGone(@TempDir Path dir) throws IOException {
    Path ip = dir.resolve("ip");
    Path received = dir.resolve("batch");
    Files.writeString(ip, """
        #!/bin/sh
        cat > '%s'
        echo 'RTNETLINK answers: Operation not permitted' >&2
        echo 'Command failed -:1' >&2
        echo 'RTNETLINK answers: File exists' >&2
        echo 'Command failed -:2' >&2
        echo 'RTNETLINK answers: No such process' >&2
        echo 'Command failed -:3' >&2
        exit 1
        """.formatted(received));
    Files.setPosixFilePermissions(ip, PosixFilePermissions.fromString("rwx------"));
    KernelRoute gone = KernelRoute.local(Ipv6Cidr.parse("2001:db8:99::/64"), "lo");
    List<RouteChange> changes = List.of(RouteChange.add(ANYIP), RouteChange.add(DELEGATED), RouteChange.delete(gone));

    Map<RouteChange, String> failed = new IpRouteTable(List.of(ip.toString()), Duration.ofSeconds(5)).apply(changes);

    assertThat(Files.readString(received)).isEqualTo(IpRouteTable.batchScript(changes));
    assertThat(failed).containsOnlyKeys(changes.get(0), changes.get(1));
    assertThat(failed.get(changes.get(0))).startsWith("permission denied: the agent needs CAP_NET_ADMIN");
    assertThat(failed.get(changes.get(1)))
        .startsWith("another route already holds 2001:db8:100::/56 metric 2048 in table main; kubepd leaves routes");
  }

  @Test
  void failsEveryChangeWhenIpFailsBeforeReadingABatchLine(@TempDir Path dir) throws IOException {
    Path ip = dir.resolve("ip");
    Files.writeString(ip, "#!/bin/sh\necho 'Cannot open network namespace \"gone\": No such file or directory' >&2\nexit 255\n");
    Files.setPosixFilePermissions(ip, PosixFilePermissions.fromString("rwx------"));
    List<RouteChange> changes = List.of(RouteChange.add(ANYIP), RouteChange.add(DELEGATED));

    Map<RouteChange, String> failed = new IpRouteTable(List.of(ip.toString()), Duration.ofSeconds(5)).apply(changes);

    assertThat(failed).containsOnlyKeys(changes);
    assertThat(failed.values()).allSatisfy(m -> assertThat(m).contains("exit 255", "Cannot open network namespace"));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = IpRouteTableTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
