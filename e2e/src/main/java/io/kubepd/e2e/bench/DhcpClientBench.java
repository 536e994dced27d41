package io.kubepd.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubepd.e2e.LocalCluster;
import io.kubepd.e2e.bench.PcapReader.CapturedMessage;
import io.kubepd.e2e.bench.PcapReader.Datagram;
import io.kubepd.testkit.lab.Dhcp6ServerConfig;
import io.kubepd.testkit.lab.Dhcp6Timers;
import io.kubepd.testkit.lab.KeaServer;
import io.kubepd.testkit.lab.LabAssumptions;
import io.kubepd.testkit.lab.LabNode;
import io.kubepd.testkit.lab.NetnsLab;
import io.kubepd.testkit.lab.PdPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The DHCPv6-PD client benchmark of issue 3 ({@code bench/dhcp-client.sh}): kubepd's standalone agent, dhcpcd and
 * ISC dhclient against one Kea in one lab, interleaved, in three server modes; then kubepd alone under several JVM
 * option sets. Prints a Markdown report and writes it to {@code bench/results/dhcp-client-DATE.md}. Needs root.
 */
@Command(name = "dhcp-client-bench", mixinStandardHelpOptions = true,
    description = "Benchmarks kubepd's DHCPv6-PD client against dhcpcd and dhclient in a network-namespace lab.")
public final class DhcpClientBench implements Callable<Integer> {
  /** The agent's JVM options before this benchmark chose new ones; kept as a reference point in the report. */
  private static final List<String> PREVIOUS_CHART_OPTIONS = List.of("-XX:+UseSerialGC", "-Xmx24m", "-Xss256k",
      "-XX:MaxMetaspaceSize=48m", "-XX:TieredStopAtLevel=1", "-Xshare:auto");
  // Long lease times: no Renew may fall inside a run.
  private static final Dhcp6Timers TIMERS = Dhcp6Timers.ofSeconds(1000, 2000, 3000, 4000);
  private static final PdPool POOL = PdPool.of("2001:db8:100::/40", 56);

  @Option(names = "--rounds", defaultValue = "10",
      description = "Rounds of the main comparison; each runs every client once per server mode (default: 10).")
  int rounds;

  @Option(names = "--jvm-rounds", defaultValue = "4",
      description = "Rounds of the JVM option comparison, kubepd only; 0 skips it (default: 4).")
  int jvmRounds;

  @Option(names = "--results-dir", description = "Where the report goes (default: bench/results in the repository).")
  Path resultsDir;

  @Option(names = "--keep-files", description = "Keep the lab directory (logs, configs, capture) after the run.")
  boolean keepFiles;

  @Option(names = "--seed", defaultValue = "3", description = "Seed of the client order shuffle (default: 3).")
  long seed;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DhcpClientBench()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    long began = System.nanoTime();
    Path repoRoot = LocalCluster.Settings.defaults().repoRoot();
    Path jar = repoRoot.resolve("dhcp-agent/target/kubepd-dhcp-agent.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it first (./mvnw install -DskipTests)");
    }
    List<String> chartOptions = shippedJvmOptions(repoRoot.resolve("helm/kubepd/values.yaml"));
    List<String> shipped = withClassDataArchive(chartOptions, jar);
    KubepdClient kubepd = new KubepdClient("kubepd", jar, shipped);
    List<BenchClient> clients = List.of(kubepd, new DhcpcdClient(), new DhclientClient());
    String loadAtStart = loadAverage();
    List<RunResult> runs = new ArrayList<>();
    List<RunResult> variantRuns = new ArrayList<>();
    List<KubepdClient> variants;
    Map<String, String> versions;
    try (NetnsLab lab = NetnsLab.builder().build().start()) {
      if (keepFiles) {
        lab.keepFiles();
      }
      say("lab " + lab.id() + " up; files in " + lab.dir());
      // Kea opens a multicast socket per link-local address of its interface, so with the lab's second one
      // (fe80::1, a next hop the benchmark does not need) it would answer every message twice.
      lab.router().execOk("ip", "-6", "addr", "del", NetnsLab.ROUTER_LINK_LOCAL + "/64", "dev", lab.routerInterface());
      KeaServer kea = lab.kea(Dhcp6ServerConfig.forLab(lab, POOL).withTimers(TIMERS));
      versions = versions(kea);
      LabNode node = lab.node(1);
      Dhcp6Capture capture = Dhcp6Capture.start(node, lab.dir().resolve("dhcp6.pcap"));
      KeaModes modes = new KeaModes(kea, lab.router());
      ClientRunner runner = new ClientRunner(lab, node, modes);
      Random random = new Random(seed);

      // One unrecorded run each: the page cache holds every binary and the jar before anything counts.
      modes.apply(ServerMode.RAPID_COMMIT);
      for (BenchClient client : clients) {
        runner.run(client, ServerMode.RAPID_COMMIT, 0);
      }
      for (int round = 1; round <= rounds; round++) {
        List<ServerMode> order = new ArrayList<>(List.of(ServerMode.values()));
        Collections.rotate(order, round);
        for (ServerMode mode : order) {
          modes.apply(mode);
          List<BenchClient> shuffled = new ArrayList<>(clients);
          Collections.shuffle(shuffled, random);
          for (BenchClient client : shuffled) {
            runs.add(runner.run(client, mode, round));
          }
        }
        say(String.format("round %d/%d done", round, rounds));
      }

      variants = jvmVariants(kubepd, chartOptions);
      if (jvmRounds > 0) {
        modes.apply(ServerMode.RAPID_COMMIT);
        for (int round = 1; round <= jvmRounds; round++) {
          List<KubepdClient> shuffled = new ArrayList<>(variants);
          Collections.shuffle(shuffled, random);
          for (KubepdClient variant : shuffled) {
            variantRuns.add(runner.run(variant, ServerMode.RAPID_COMMIT, round));
          }
        }
        say("JVM option rounds done");
      }

      List<CapturedMessage> messages = capture.stop().stream().map(Datagram::message).toList();
      runs.replaceAll(run -> run.withWire(WireExchange.of(window(messages, run))));
      variantRuns.replaceAll(run -> run.withWire(WireExchange.of(window(messages, run))));
    }
    BenchEnvironment environment = new BenchEnvironment(LocalDate.now().toString(), kernel(),
        Runtime.getRuntime().availableProcessors(), loadAtStart, loadAverage(), versions, rounds, jvmRounds,
        Duration.ofNanos(System.nanoTime() - began));
    String report = new BenchReport(environment, clients, variants, runs, variantRuns).markdown();
    System.out.println(report);
    Path dir = resultsDir != null ? resultsDir : repoRoot.resolve("bench/results");
    Files.createDirectories(dir);
    Path file = dir.resolve("dhcp-client-" + environment.date() + ".md");
    Files.writeString(file, report);
    say("report written to " + file);
    return 0;
  }

  /** kubepd under the JVM option sets worth comparing; the first is what the image runs. */
  private static List<KubepdClient> jvmVariants(KubepdClient shipped, List<String> chartOptions) {
    List<String> defaultThresholds = new ArrayList<>(shipped.jvmOptions());
    defaultThresholds.removeIf(o -> o.startsWith("-XX:CompileThresholdScaling"));
    List<String> interpreted = new ArrayList<>(defaultThresholds);
    interpreted.removeIf(o -> o.startsWith("-XX:TieredStopAtLevel") || o.startsWith("-XX:CICompilerCount"));
    interpreted.add("-Xint");
    return List.of(
        shipped.withJvmOptions("shipped (values.yaml + AppCDS)", shipped.jvmOptions()),
        shipped.withJvmOptions("values.yaml, no AppCDS", chartOptions),
        shipped.withJvmOptions("shipped, default JIT thresholds", defaultThresholds),
        shipped.withJvmOptions("shipped, interpreter only", interpreted),
        shipped.withJvmOptions("previous chart options", PREVIOUS_CHART_OPTIONS),
        shipped.withJvmOptions("JDK defaults", List.of()));
  }

  /**
   * The chart's options plus the jar's class-data archive, as the image's entrypoint adds its own: the archive
   * Maven trains next to the jar, if this JVM accepts it (same JDK build, jar unchanged at the same path).
   */
  private static List<String> withClassDataArchive(List<String> options, Path jar) {
    Path archive = jar.resolveSibling("kubepd-dhcp-agent.jsa");
    List<String> result = new ArrayList<>(options);
    result.add("-XX:SharedArchiveFile=" + archive);
    List<String> check = new ArrayList<>(List.of("java", "-Xshare:on"));
    check.addAll(result);
    check.addAll(List.of("-jar", jar.toString(), "--version"));
    if (!Files.isRegularFile(archive) || !firstLine(check.toArray(String[]::new)).startsWith("kubepd dhcp-agent")) {
      say("no usable class-data archive " + archive + " (rebuild the jar with this JDK); kubepd runs without one");
      return options;
    }
    return result;
  }

  /** The capture's messages from a run's start to its stop; runs never overlap. */
  private static List<CapturedMessage> window(List<CapturedMessage> messages, RunResult run) {
    return messages.stream().filter(m -> m.epochNanos() >= run.start() && m.epochNanos() <= run.stop()).toList();
  }

  /** {@code agent.javaOptions} of the chart: what a cluster runs, so what the benchmark runs. */
  static List<String> shippedJvmOptions(Path valuesYaml) throws IOException {
    JsonNode values = new ObjectMapper(new YAMLFactory()).readTree(valuesYaml.toFile());
    String options = values.path("agent").path("javaOptions").asText("");
    return options.isBlank() ? List.of() : List.of(options.strip().split("\\s+"));
  }

  private static Map<String, String> versions(KeaServer kea) {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("Kea", kea.implementation().replace("ISC Kea ", ""));
    versions.put("dhcpcd", firstLine(DhcpcdClient.binary().toString(), "--version"));
    versions.put("dhclient", firstLine(DhclientClient.binary().toString(), "--version"));
    versions.put("Java", firstLine("java", "-version"));
    versions.put("tcpdump", firstLine(LabAssumptions.findBinary("tcpdump").map(Path::toString).orElse("tcpdump"),
        "--version"));
    return versions;
  }

  /** The first line a version command prints, on stdout or stderr. */
  private static String firstLine(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      process.waitFor();
      return output.lines().findFirst().orElse("?").strip();
    } catch (IOException e) {
      return "? (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  private static String kernel() throws IOException {
    return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
  }

  private static String loadAverage() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
  }

  private static void say(String message) {
    System.err.println("==> " + message);
  }
}
