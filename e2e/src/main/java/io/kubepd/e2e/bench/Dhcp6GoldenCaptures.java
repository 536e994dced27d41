package io.kubepd.e2e.bench;

import static io.kubepd.e2e.bench.PcapReader.CapturedMessage.REBIND;
import static io.kubepd.e2e.bench.PcapReader.CapturedMessage.RELEASE;
import static io.kubepd.e2e.bench.PcapReader.CapturedMessage.RENEW;
import static io.kubepd.e2e.bench.PcapReader.CapturedMessage.REQUEST;
import static io.kubepd.e2e.bench.PcapReader.CapturedMessage.SOLICIT;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubepd.e2e.LocalCluster;
import io.kubepd.e2e.bench.PcapReader.Datagram;
import io.kubepd.testkit.lab.Dhcp6Server;
import io.kubepd.testkit.lab.Dhcp6ServerConfig;
import io.kubepd.testkit.lab.Dhcp6Timers;
import io.kubepd.testkit.lab.Ipv6Prefix;
import io.kubepd.testkit.lab.KeaServer;
import io.kubepd.testkit.lab.LabException;
import io.kubepd.testkit.lab.LabNode;
import io.kubepd.testkit.lab.LabProcess;
import io.kubepd.testkit.lab.NetnsLab;
import io.kubepd.testkit.lab.PdPool;
import io.kubepd.testkit.lab.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Captures real DHCPv6-PD exchanges between kubepd's standalone agent and ISC Kea, and ISC dhcpd, in a
 * network-namespace lab (tcpdump on each node's uplink; no packet leaves the namespaces) and writes each exchange as
 * annotated hex to {@code dhcp-agent/src/test/resources/captures/<server>-<version>/}: the golden bytes of the
 * agent's codec and client tests. Regenerate with {@code sudo scripts/capture-dhcp6.sh} (about a minute; needs root).
 *
 * <p>The nodes get fixed MAC addresses, so the agents' DUID-LLs are the same on every run. Transaction ids and the
 * servers' DUID-LLTs change with each run: the tests take the ids from the files, but name the DUIDs, so after a new
 * capture update {@code KEA} and {@code DHCPD} in the agent's {@code CapturedExchange} (test sources).
 */
@Command(name = "dhcp6-golden-captures", mixinStandardHelpOptions = true,
    description = "Captures kubepd's agent talking to Kea and dhcpd in a network-namespace lab as annotated hex.")
public final class Dhcp6GoldenCaptures implements Callable<Integer> {
  // One /56 in the pool, so that it can run out. T1 4 s, T2 8 s: Renew and Rebind within seconds.
  private static final PdPool POOL = PdPool.of("2001:db8:100::/56", 56);
  private static final Dhcp6Timers TIMERS = Dhcp6Timers.ofSeconds(4, 8, 12, 16);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final String[] MACS = {"02:00:00:00:00:01", "02:00:00:00:00:02"};
  /** A DUID-LL no lab node has: Kea is told the prefix is this client's. */
  private static final String STRANGER_DUID = "00:03:00:01:02:00:00:00:00:99";

  @Option(names = "--out-dir",
      description = "Where the server directories go (default: dhcp-agent/src/test/resources/captures).")
  Path outDir;

  @Option(names = "--keep-files", description = "Keep the lab directory (logs, configs, pcap files) after the run.")
  boolean keepFiles;

  private Path jar;
  private NetnsLab lab;
  private final List<Exchange> exchanges = new ArrayList<>();

  /** One agent run: its node, its time window (epoch ns), the server it talked to and the agent's options. */
  private record Run(LabNode node, long from, long to, Dhcp6Server server, Dhcp6ServerConfig config,
      String options) {}

  /** One file: the client messages of {@code types} in a run, each with the server's answer. */
  private record Exchange(String file, String title, Run run, List<Integer> types) {}

  /** A client message and the server's first answer with the same transaction id. */
  private record Transaction(Datagram question, Datagram answer) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new Dhcp6GoldenCaptures()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    Path repoRoot = LocalCluster.Settings.defaults().repoRoot();
    jar = repoRoot.resolve("dhcp-agent/target/kubepd-dhcp-agent.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it first (./mvnw -pl dhcp-agent -am install)");
    }
    Map<LabNode, List<Datagram>> wire = new HashMap<>();
    try (NetnsLab started = NetnsLab.builder().nodes(2).build().start()) {
      lab = started;
      if (keepFiles) {
        lab.keepFiles();
      }
      // Kea opens a socket per link-local address of its interface; with the lab's extra fe80::1 it answers twice.
      lab.router().execOk("ip", "-6", "addr", "del", NetnsLab.ROUTER_LINK_LOCAL + "/64", "dev", lab.routerInterface());
      Map<LabNode, Dhcp6Capture> captures = new HashMap<>();
      for (LabNode node : lab.nodes()) {
        node.netns().execOk("ip", "link", "set", node.interfaceName(), "address", MACS[node.index() - 1]);
        captures.put(node, Dhcp6Capture.start(node, lab.dir().resolve("node" + node.index() + ".pcap")));
      }
      // With a resolver and a search domain, so that the captures carry RFC 3646 options as real servers send them.
      Dhcp6ServerConfig config = Dhcp6ServerConfig.forLab(lab, POOL).withTimers(TIMERS)
          .withDns(List.of("2001:db8:ffff::53"), List.of("example.net"));
      KeaServer kea = lab.kea(config);
      captureKea(kea, config);
      kea.stop();
      captureIscDhcpd(lab.iscDhcpd(config));
      captures.forEach((node, capture) -> wire.put(node, capture.stop()));
    }
    Path out = outDir != null ? outDir : repoRoot.resolve("dhcp-agent/src/test/resources/captures");
    for (Exchange exchange : exchanges) {
      Path file = write(out, exchange, wire.get(exchange.run().node()));
      say("wrote " + file);
    }
    return 0;
  }

  private void captureKea(KeaServer kea, Dhcp6ServerConfig config) {
    LabNode node = lab.node(1);
    Path state = lab.newDir("state-n1");
    long from = now();
    LabProcess agent = agent(node, state, "--release-on-exit");
    awaitLog(agent, "\"event\":\"bound\"");
    awaitLog(agent, "\"event\":\"renewed\"");
    // Kea away across T1: the Renew goes unanswered, and the Rebind at T2 reaches the restarted Kea.
    int renewedAt = agent.logText().length();
    kea.stop();
    awaitLog(agent, renewedAt, "BOUND -> RENEWING");
    kea.start();
    awaitLog(agent, "\"event\":\"rebound\"");
    agent.stop();
    requireLog(agent, "RELEASING -> STOPPED");
    Run life = new Run(node, from, now(), kea, config, "--release-on-exit, stopped with SIGTERM after the Rebind");
    exchanges.add(new Exchange("solicit-advertise-request-reply", "Solicit, Advertise, Request, Reply", life,
        List.of(SOLICIT, REQUEST)));
    exchanges.add(new Exchange("renew-reply", "Renew at T1 and its Reply", life, List.of(RENEW)));
    exchanges.add(new Exchange("rebind-reply", "Rebind at T2 (Kea was down at T1) and its Reply", life,
        List.of(REBIND)));
    exchanges.add(new Exchange("release-reply", "Release on SIGTERM and its Reply", life, List.of(RELEASE)));

    Dhcp6ServerConfig rapid = config.withRapidCommit(true);
    kea.reconfigure(rapid);
    from = now();
    agent = agent(node, state, "--rapid-commit");
    awaitLog(agent, "\"event\":\"bound\"");
    // Kea now holds the prefix for another client, with a lifetime that outlasts this run: the Renew at T1 finds
    // no binding, and the pool has nothing else to give.
    kea.command("lease6-update", JSON.createObjectNode().put("ip-address", Ipv6Prefix.format(POOL.first().address()))
        .put("prefix-len", POOL.delegatedLength()).put("type", "IA_PD").put("subnet-id", 1)
        .put("duid", STRANGER_DUID).put("iaid", 1).put("valid-lft", 3600));
    awaitLog(agent, "not granted");
    agent.stop();
    Run taken = new Run(node, from, now(), kea, rapid, "--rapid-commit");
    exchanges.add(new Exchange("rapid-commit", "Solicit with Rapid Commit and the Reply that binds", taken,
        List.of(SOLICIT)));
    exchanges.add(new Exchange("renew-no-prefix-avail", "Renew at T1 after Kea gave the prefix to another"
        + " DUID (lease6-update), and its Reply", taken, List.of(RENEW)));

    from = now();
    agent = agent(lab.node(2), lab.newDir("state-n2"), "--rapid-commit", "--once", "--timeout", "3s");
    awaitExit(agent);
    if (agent.logText().contains("\"event\":\"bound\"")) {
      throw new LabException("the pool should be empty, but node 2 got a prefix:\n" + agent.logText());
    }
    exchanges.add(new Exchange("solicit-no-prefix-avail", "Solicit with Rapid Commit while the pool is exhausted,"
        + " and the answer", new Run(lab.node(2), from, now(), kea, rapid, "--rapid-commit --once --timeout 3s"),
        List.of(SOLICIT)));
  }

  private void captureIscDhcpd(Dhcp6Server dhcpd) {
    long from = now();
    LabProcess agent = agent(lab.node(1), lab.newDir("state-dhcpd"), "--once");
    awaitExit(agent);
    requireLog(agent, "\"event\":\"bound\"");
    Run run = new Run(lab.node(1), from, now(), dhcpd, dhcpd.config(), "--once");
    exchanges.add(new Exchange("solicit-advertise-request-reply", "Solicit, Advertise, Request, Reply", run,
        List.of(SOLICIT, REQUEST)));
  }

  /** Starts {@code dhcp-agent standalone} on {@code node}'s uplink with the JVM options of the agent's interop ITs. */
  private LabProcess agent(LabNode node, Path state, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-XX:+UseSerialGC", "-jar", jar.toString(), "standalone", "--interface", node.interfaceName(),
        "--state-dir", state.toString(), "--no-initial-delay"));
    command.addAll(List.of(args));
    return node.netns().spawn(lab.newDir("agent-n" + node.index()).getFileName().toString(), Map.of(),
        command.toArray(String[]::new));
  }

  private static void awaitLog(LabProcess agent, String text) {
    awaitLog(agent, 0, text);
  }

  /** Waits until the agent's log, from character {@code from} on, contains {@code text}. */
  private static void awaitLog(LabProcess agent, int from, String text) {
    Poll.until(TIMEOUT, agent.name() + " to log " + text, () -> {
      if (agent.logText().indexOf(text, from) >= 0) {
        return true;
      }
      agent.requireAlive();
      return false;
    });
  }

  private static void awaitExit(LabProcess agent) {
    Poll.until(TIMEOUT, agent.name() + " to exit", () -> !agent.isAlive());
  }

  private static void requireLog(LabProcess agent, String text) {
    if (!agent.logText().contains(text)) {
      throw new LabException(agent.name() + " did not log " + text + ":\n" + agent.logText());
    }
  }

  private Path write(Path out, Exchange exchange, List<Datagram> wire) throws IOException {
    Run run = exchange.run();
    List<Transaction> transactions = transactions(wire.stream()
        .filter(d -> d.epochNanos() >= run.from() && d.epochNanos() <= run.to()).toList());
    StringBuilder text = new StringBuilder();
    text.append("# ").append(exchange.title()).append(", captured ").append(LocalDate.now()).append('\n');
    Dhcp6ServerConfig config = run.config();
    Dhcp6Timers t = config.timers();
    text.append(String.format(Locale.ROOT, "# Server: %s on %s, subnet %s, pd-pool %s delegated-len %d,%n"
            + "#   T1 %d s, T2 %d s, preferred-lifetime %d s, valid-lifetime %d s, rapid-commit %s,%n"
            + "#   dns-servers %s, domain-search %s%n",
        run.server().implementation(), config.interfaceName(), config.subnet(), config.pool().prefix(),
        config.pool().delegatedLength(), t.renew().toSeconds(), t.rebind().toSeconds(), t.preferred().toSeconds(),
        t.valid().toSeconds(), config.rapidCommit(), String.join(" ", config.dnsServers()),
        String.join(" ", config.domainSearch())));
    text.append("# Client: kubepd dhcp-agent standalone --no-initial-delay ").append(run.options())
        .append(",\n#   on an uplink with MAC ").append(MACS[run.node().index() - 1]).append(" (its DUID-LL)\n");
    text.append("# Captured with tcpdump on the client's uplink in a network-namespace lab; regenerate with\n"
        + "# sudo scripts/capture-dhcp6.sh (io.kubepd.e2e.bench.Dhcp6GoldenCaptures).\n"
        + "# A \"---\" line starts each DHCPv6 message (UDP payload); '#' starts a comment.\n");
    for (int type : exchange.types()) {
      Transaction transaction = transactions.stream().filter(x -> x.question().type() == type).findFirst()
          .orElseThrow(() -> new LabException("no answered message of type " + type + " for " + exchange.file()));
      for (Datagram message : List.of(transaction.question(), transaction.answer())) {
        text.append("\n--- ").append(message.fromClient() ? "client to server" : "server to client").append('\n');
        text.append(Dhcp6Annotator.annotate(message.bytes()));
      }
    }
    // "ISC Kea 2.2.0" goes to kea-2.2.0/.
    String server = run.server().implementation().replaceFirst("^ISC ", "").toLowerCase(Locale.ROOT).replace(' ', '-');
    Path file = out.resolve(server).resolve(exchange.file() + ".hex");
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  /** Each server answer in {@code wire} with the last client message before it that has its transaction id. */
  private static List<Transaction> transactions(List<Datagram> wire) {
    Map<Integer, Datagram> asked = new HashMap<>();
    List<Transaction> transactions = new ArrayList<>();
    for (Datagram datagram : wire) {
      if (datagram.fromClient()) {
        asked.put(datagram.transactionId(), datagram);
      } else if (asked.containsKey(datagram.transactionId())) {
        transactions.add(new Transaction(asked.remove(datagram.transactionId()), datagram));
      }
    }
    return transactions;
  }

  private static long now() {
    return ClientRunner.wallNanos();
  }

  private static void say(String message) {
    System.err.println("==> " + message);
  }
}
