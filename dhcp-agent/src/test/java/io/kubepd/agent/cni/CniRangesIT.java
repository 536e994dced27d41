package io.kubepd.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubepd.agent.route.IpRouteTable;
import io.kubepd.agent.route.Ipv6Cidr;
import io.kubepd.agent.route.KernelRoute;
import io.kubepd.agent.route.RoutePlan;
import io.kubepd.agent.route.RouteReconciler;
import io.kubepd.testkit.lab.LabAssumptions;
import io.kubepd.testkit.lab.LabNode;
import io.kubepd.testkit.lab.NetnsLab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The written conflist driven by the reference CNI plugins (bridge + host-local, Debian containernetworking-plugins)
 * as a container runtime would: pods in namespaces of their own behind a lab node get addresses from the pod CIDR and
 * are reachable from the lab router; after renumbering new pods get the new CIDR while running pods keep theirs.
 */
class CniRangesIT {
  private static final Path CNI_BIN = Path.of("/usr/lib/cni");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Ipv6Cidr OLD_DELEGATED = Ipv6Cidr.parse("2001:db8:100::/56");
  private static final Ipv6Cidr OLD_POD_CIDR = Ipv6Cidr.parse("2001:db8:100:1::/64");
  private static final Ipv6Cidr NEW_DELEGATED = Ipv6Cidr.parse("2001:db8:200::/56");
  private static final Ipv6Cidr NEW_POD_CIDR = Ipv6Cidr.parse("2001:db8:200:1::/64");
  private static final Duration PLUGIN_TIMEOUT = Duration.ofSeconds(20);

  @RegisterExtension
  final NetnsLab lab = NetnsLab.builder().build();

  private final List<String> pods = new ArrayList<>();
  private LabNode node;
  private Path dataDir;
  private CniRangesWriter writer;

  @BeforeEach
  void nodeWithABridgeNetworkTemplate() throws IOException {
    for (String plugin : List.of("bridge", "host-local")) {
      if (!Files.isExecutable(CNI_BIN.resolve(plugin))) {
        String reason = CNI_BIN.resolve(plugin) + " not found (Debian package containernetworking-plugins);"
            + " run scripts/install-test-deps.sh as root";
        if (LabAssumptions.strict()) {
          Assertions.fail(reason + " and CI=true");
        }
        Assumptions.abort(reason);
      }
    }
    node = lab.node(1);
    node.netns().sysctl("net.ipv6.conf.all.forwarding=1");
    node.netns().execOk("ip", "-6", "addr", "add", "2001:db8:ffff::100/64", "dev", node.interfaceName(), "nodad");
    node.netns().execOk("ip", "-6", "route", "add", "default", "via", NetnsLab.ROUTER_LINK_LOCAL,
        "dev", node.interfaceName());
    Path cni = lab.newDir("cni");
    dataDir = cni.resolve("ipam");
    Path template = Files.writeString(cni.resolve("template.conflist"), """
        {"cniVersion": "1.0.0", "name": "kubepd", "plugins": [
          {"type": "bridge", "bridge": "cni0", "isGateway": true,
           "ipam": {"type": "host-local", "routes": [{"dst": "::/0"}], "dataDir": "%s"}}]}
        """.formatted(dataDir));
    writer = CniRangesWriter.conflist(Files.createDirectory(cni.resolve("net.d")).resolve("10-kubepd.conflist"), template);
  }

  @AfterEach
  void deletePods() {
    pods.forEach(pod -> run(List.of("ip", "netns", "del", pod), List.of(), ""));
  }

  @Test
  void podsGetTheNewPodCidrAfterRenumberingWhileRunningPodsKeepTheirAddresses() throws IOException {
    routeToNode(OLD_DELEGATED);
    routeToNode(NEW_DELEGATED);
    try (RouteReconciler routes = RouteReconciler.builder(IpRouteTable.inNamespace(node.netns().name())).build()) {
      routes.apply(RoutePlan.of(KernelRoute.unreachable(OLD_DELEGATED)));
      writer.write(HostLocalRanges.of(List.of(OLD_POD_CIDR.toString())));

      String first = addPod("pod1");

      assertThat(inside(first, OLD_POD_CIDR)).as("pod1 got %s", first).isTrue();
      assertThat(routerPings(first)).as("router pings pod1 at %s", first).isTrue();

      routes.apply(RoutePlan.of(KernelRoute.unreachable(NEW_DELEGATED), KernelRoute.unreachable(OLD_DELEGATED)));
      assertThat(writer.write(HostLocalRanges.of(List.of(NEW_POD_CIDR.toString())))).isTrue();
      String second = addPod("pod2");
      String third = addPod("pod3");

      assertThat(List.of(second, third)).allSatisfy(a -> assertThat(inside(a, NEW_POD_CIDR)).as(a).isTrue());
      assertThat(routerPings(second)).as("router pings pod2 at %s", second).isTrue();
      assertThat(podAddresses("pod1")).as("pod1 keeps its address").contains(first);
      assertThat(routerPings(first)).as("router still pings pod1 at %s", first).isTrue();

      deletePod("pod1");
      assertThat(dataDir.resolve("kubepd").resolve(first)).as("host-local released %s", first).doesNotExist();
      assertThat(dataDir.resolve("kubepd").resolve(second)).exists();
    }
  }

  private void routeToNode(Ipv6Cidr delegated) {
    lab.router().execOk("ip", "-6", "route", "add", delegated.toString(), "via", node.linkLocal(),
        "dev", NetnsLab.ROUTER_INTERFACE);
  }

  private boolean routerPings(String address) {
    return lab.router().ping6(address);
  }

  /** Creates the pod's namespace and runs CNI ADD as a runtime does for the first plugin of the list. */
  private String addPod(String name) throws IOException {
    String netns = lab.id() + "-" + name;
    run(List.of("ip", "netns", "add", netns), List.of(), "").orThrow();
    pods.add(netns);
    // As the lab does for its namespaces: no DAD wait, so the pod's address is usable at once.
    run(List.of("ip", "netns", "exec", netns, "sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0",
        "net.ipv6.conf.default.accept_dad=0"), List.of(), "").orThrow();
    Result added = cni("ADD", netns);
    JsonNode result = JSON.readTree(added.stdout);
    String address = result.at("/ips/0/address").asText();
    assertThat(address).as("CNI ADD result %s", added.stdout).contains("/");
    return address.substring(0, address.indexOf('/'));
  }

  private void deletePod(String name) throws IOException {
    cni("DEL", lab.id() + "-" + name);
  }

  private List<String> podAddresses(String name) throws IOException {
    JsonNode links = JSON.readTree(run(List.of("ip", "-n", lab.id() + "-" + name, "-6", "-json", "addr", "show",
        "dev", "eth0"), List.of(), "").orThrow().stdout);
    List<String> addresses = new ArrayList<>();
    links.forEach(link -> link.path("addr_info").forEach(a -> addresses.add(a.path("local").asText())));
    return addresses;
  }

  private Result cni(String command, String netns) throws IOException {
    JsonNode conflist = JSON.readTree(writer.target().toFile());
    ObjectNode plugin = ((ObjectNode) conflist.path("plugins").path(0)).deepCopy();
    plugin.put("cniVersion", conflist.path("cniVersion").asText());
    plugin.put("name", conflist.path("name").asText());
    return run(List.of("ip", "netns", "exec", node.netns().name(), CNI_BIN.resolve("bridge").toString()),
        List.of("CNI_COMMAND=" + command, "CNI_CONTAINERID=" + netns, "CNI_NETNS=/run/netns/" + netns,
            "CNI_IFNAME=eth0", "CNI_PATH=" + CNI_BIN),
        plugin.toString()).orThrow();
  }

  private static boolean inside(String address, Ipv6Cidr prefix) {
    return prefix.contains(Ipv6Cidr.parse(address + "/128"));
  }

  private Result run(List<String> command, List<String> environment, String stdin) {
    try {
      Path in = Files.writeString(lab.dir().resolve("stdin"), stdin);
      Path out = lab.dir().resolve("stdout");
      Path err = lab.dir().resolve("stderr");
      ProcessBuilder builder = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
          .redirectError(err.toFile());
      environment.forEach(e -> builder.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1)));
      Process process = builder.start();
      if (!process.waitFor(PLUGIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within " + PLUGIN_TIMEOUT);
      }
      return new Result(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    }
  }

  private record Result(List<String> command, int exitCode, String stdout, String stderr) {
    Result orThrow() {
      if (exitCode != 0) {
        throw new AssertionError(String.join(" ", command) + " exited " + exitCode + "\nstdout: " + stdout
            + "\nstderr: " + stderr);
      }
      return this;
    }
  }
}
