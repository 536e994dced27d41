package io.kubepd.e2e.bench;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.e2e.LocalCluster;
import io.kubepd.e2e.bench.LeaseObserver.Observation;
import io.kubepd.testkit.lab.Dhcp6Timers;
import io.kubepd.testkit.lab.Ipv6Prefix;
import io.kubepd.testkit.lab.LabException;
import io.kubepd.testkit.lab.LabNode;
import io.kubepd.testkit.lab.PdPool;
import io.kubepd.testkit.lab.Poll;
import io.kubepd.testkit.lab.Route;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The renumbering benchmark of issue 5 behind {@code bench/renumbering.sh}: one {@link LocalCluster} with two nodes,
 * Kea's pool switched between two /48s again and again, and for every node and renumbering the time from the Reply
 * carrying the new prefix to (a) the new pod CIDR's local route in the node's kernel, (b) the new spec in the API
 * server and (c) the operator's Ready status for it; then the agents' memory. Prints a markdown report and writes it,
 * with every sample as CSV, to {@code bench/results/}. A benchmark, not a test: it measures and asserts nothing.
 */
public final class RenumberingBench implements AutoCloseable {
  /** Short enough that every renumbering happens at the next Renew, two seconds after the pool changes. */
  static final Dhcp6Timers TIMERS = Dhcp6Timers.ofSeconds(2, 3, 4, 6);
  /**
   * Used in turn. With four, a prefix comes back only after its last plan has expired (four Renews are longer than
   * the valid lifetime): a node that got a prefix back while the operator's old plan for it still stood would
   * program that plan at once, and the benchmark would measure a shortcut instead of the path through the operator.
   */
  static final List<PdPool> POOLS = List.of(PdPool.of("2001:db8:100::/48", 56), PdPool.of("2001:db8:200::/48", 56),
      PdPool.of("2001:db8:300::/48", 56), PdPool.of("2001:db8:400::/48", 56));
  static final int NODES = 2;
  static final Duration TARGET = Duration.ofMillis(500);
  static final long RSS_TARGET_KIB = 64 * 1024;

  // 100 samples per measure: the first count at which the 99th percentile is not simply the maximum.
  private static final int DEFAULT_RENUMBERINGS = 50;
  private static final Duration CONVERGE = Duration.ofSeconds(30);
  // The old prefix's routes stay until its valid lifetime ends; a loaded machine gets some slack on top.
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final String KUBEPD_PROTOCOL = "249";

  /**
   * What to run and where the report goes.
   *
   * @param chartAgentJvm run the agents with the chart's {@code agent.javaOptions} instead of LocalCluster's
   */
  record Options(int renumberings, Path resultsDir, boolean keepFiles, boolean chartAgentJvm) {
    static Options parse(String[] args, Path repoRoot) {
      int renumberings = DEFAULT_RENUMBERINGS;
      Path resultsDir = repoRoot.resolve("bench/results");
      boolean keepFiles = false;
      boolean chartAgentJvm = false;
      for (String arg : args) {
        if (arg.startsWith("--renumberings=")) {
          renumberings = Integer.parseInt(arg.substring("--renumberings=".length()));
        } else if (arg.startsWith("--results-dir=")) {
          resultsDir = Path.of(arg.substring("--results-dir=".length())).toAbsolutePath();
        } else if (arg.equals("--keep-files")) {
          keepFiles = true;
        } else if (arg.equals("--chart-agent-jvm")) {
          chartAgentJvm = true;
        } else {
          throw new IllegalArgumentException("unknown option " + arg + "; use --renumberings=N (default "
              + DEFAULT_RENUMBERINGS + "), --results-dir=DIR, --keep-files, --chart-agent-jvm");
        }
      }
      if (renumberings < 1) {
        throw new IllegalArgumentException("--renumberings must be at least 1, not " + renumberings);
      }
      return new Options(renumberings, resultsDir, keepFiles, chartAgentJvm);
    }
  }

  /** One switch of Kea's pool and what each node had before and after it. */
  private record Renumbering(int index, PdPool pool, Instant reconfigured, Duration reloadTook,
      Map<Integer, Observation> from, Map<Integer, Observation> to) {}

  /** Everything the report is made of. */
  record Result(Options options, Path repoRoot, String keaVersion, String agentJvmOptions, Instant started,
      Duration measuredFor, List<Sample> samples, String abortReason, HostLoad load,
      Map<Integer, List<Long>> rssDuringKib, Map<Integer, ProcessFootprint> agentsAtStart,
      Map<Integer, ProcessFootprint> agentsAtEnd) {}

  private final LocalCluster cluster;
  private final Path repoRoot;
  private final Options options;
  private final LeaseObserver leases;
  private final Map<Integer, ReplyCapture> replies = new TreeMap<>();
  private final Map<Integer, RouteMonitor> routes = new TreeMap<>();

  private RenumberingBench(LocalCluster cluster, Path repoRoot, Options options) {
    this.cluster = cluster;
    this.repoRoot = repoRoot;
    this.options = options;
    this.leases = new LeaseObserver(cluster.client());
    for (LabNode node : cluster.lab().nodes()) {
      replies.put(node.index(), ReplyCapture.start(node));
      routes.put(node.index(), RouteMonitor.start(node));
    }
  }

  public static void main(String[] args) {
    LocalCluster.Settings defaults = LocalCluster.Settings.defaults();
    Options options = Options.parse(args, defaults.repoRoot());
    LocalCluster.Settings settings = new LocalCluster.Settings(NODES, POOLS.get(0), TIMERS, defaults.rapidCommit(),
        defaults.repoRoot(), Map.of(),
        options.chartAgentJvm() ? chartAgentJvm(defaults.launcher(), defaults.repoRoot()) : defaults.launcher());
    say("starting kubepd locally (kube-apiserver, Kea, operator, " + NODES + " agents); Kea timers " + TIMERS);
    try (LocalCluster cluster = LocalCluster.start(settings)) {
      if (options.keepFiles()) {
        cluster.lab().keepFiles();
      }
      say("logs of every process: " + cluster.lab().dir());
      Result result;
      try (RenumberingBench bench = new RenumberingBench(cluster, settings.repoRoot(), options)) {
        result = bench.run();
      } catch (RuntimeException e) {
        cluster.lab().keepFiles();
        say("FAILED: " + e.getMessage() + "; logs kept in " + cluster.lab().dir());
        throw e;
      }
      if (result.abortReason() != null) {
        cluster.lab().keepFiles();
      }
      String markdown = RenumberingReport.markdown(result);
      System.out.println(markdown);
      String name = "renumbering-" + LocalDate.now() + (options.chartAgentJvm() ? "-chart-jvm" : "");
      write(options.resultsDir(), name + ".md", markdown);
      write(options.resultsDir(), name + ".csv", RenumberingReport.csv(result));
      say("written to " + options.resultsDir().resolve(name + ".{md,csv}"));
    }
  }

  /** {@code launcher}, but the agent runs with the JVM options the chart gives it ({@code agent.javaOptions}). */
  private static LocalCluster.Launcher chartAgentJvm(LocalCluster.Launcher launcher, Path repoRoot) {
    Map<?, ?> values;
    try {
      values = Serialization.unmarshal(Files.readString(repoRoot.resolve("helm/kubepd/values.yaml")), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the chart's values.yaml", e);
    }
    List<String> javaOptions = List.of(((Map<?, ?>) values.get("agent")).get("javaOptions").toString().trim()
        .split("\\s+"));
    return (component, args, environment, dir) -> {
      LocalCluster.Launch launch = launcher.launch(component, args, environment, dir);
      if (component != LocalCluster.Component.AGENT) {
        return launch;
      }
      // java <LocalCluster's options> -jar agent.jar args... -> java <the chart's options> -jar agent.jar args...
      List<String> command = new ArrayList<>(List.of(launch.command().get(0)));
      command.addAll(javaOptions);
      command.addAll(launch.command().subList(launch.command().indexOf("-jar"), launch.command().size()));
      return new LocalCluster.Launch(command, launch.environment());
    };
  }

  private Result run() {
    say("waiting for both nodes' first leases and routes");
    settle(POOLS.get(1));
    Map<Integer, ProcessFootprint> atStart = footprints();
    String jvmOptions = ProcessFootprint.jvmOptions(cluster.agent(1).pid());
    Map<Integer, List<Long>> rssDuring = new TreeMap<>();
    HostLoad load = HostLoad.start();
    Instant started = Instant.now();
    List<Sample> samples = new ArrayList<>();
    String abortReason = null;
    for (int index = 1; index <= options.renumberings(); index++) {
      try {
        PdPool pool = POOLS.get(index % POOLS.size());
        Map<Integer, Observation> from = settle(pool);
        load.sample();
        footprints().forEach((node, f) -> rssDuring.computeIfAbsent(node, n -> new ArrayList<>()).add(f.rssKib()));
        Instant reconfigured = Instant.now();
        cluster.kea().reconfigurePool(pool);
        Duration reloadTook = Duration.between(reconfigured, Instant.now());
        Map<Integer, Observation> to = converge(pool, reconfigured);
        List<Sample> these = samples(new Renumbering(index, pool, reconfigured, reloadTook, from, to));
        samples.addAll(these);
        say(progress(index, pool, reloadTook, these));
      } catch (LabException e) {
        abortReason = "renumbering " + index + ": " + e.getMessage();
        say("STOPPED: " + abortReason + "; logs kept in " + cluster.lab().dir());
        break;
      }
    }
    Duration measuredFor = Duration.between(started, Instant.now());
    load.stop();
    return new Result(options, repoRoot, cluster.kea().implementation(), jvmOptions, started, measuredFor, samples,
        abortReason, load, rssDuring, atStart, footprints());
  }

  /**
   * Waits until every node's lease is Ready for the prefix it holds, its kernel holds kubepd routes of that prefix
   * only (the previous prefix's routes have gone) and no plan in its status points into {@code next}; returns each
   * node's lease as it was then.
   */
  private Map<Integer, Observation> settle(PdPool next) {
    Map<Integer, Observation> settled = new TreeMap<>();
    for (LabNode node : cluster.lab().nodes()) {
      String name = cluster.nodeName(node.index());
      settled.put(node.index(), Poll.untilPresent(SETTLE, name + "'s lease Ready, only its routes in the kernel, "
              + "no plan into " + next.prefix(),
          () -> leases.latest(name)
              .filter(o -> o.specPrefix() != null && o.readyFor(o.specPrefix()))
              .filter(o -> o.plannedRoutes().stream().noneMatch(d -> next.prefix().contains(Ipv6Prefix.parse(d))))
              .filter(o -> onlyRoutesWithin(node, o.specPrefix()))));
    }
    return settled;
  }

  private static boolean onlyRoutesWithin(LabNode node, String prefix) {
    Ipv6Prefix held = Ipv6Prefix.parse(prefix);
    List<Route> kubepd = node.netns().routes().stream().filter(r -> KUBEPD_PROTOCOL.equals(r.protocol())).toList();
    return !kubepd.isEmpty() && kubepd.stream().allMatch(r -> held.contains(Ipv6Prefix.parse(r.destination())));
  }

  /**
   * Waits until every node's lease is Ready for a prefix of {@code pool} and the kernel has announced its pod CIDR's
   * local route. Looks only at what the watch and the route monitors already collected: polling the API server or
   * running ip here would load the machine while it is being measured.
   */
  private Map<Integer, Observation> converge(PdPool pool, Instant since) {
    Map<Integer, Observation> converged = new TreeMap<>();
    for (LabNode node : cluster.lab().nodes()) {
      String name = cluster.nodeName(node.index());
      RouteMonitor monitor = routes.get(node.index());
      converged.put(node.index(), Poll.untilPresent(CONVERGE, name + " renumbered into " + pool.prefix(),
          () -> leases.latest(name)
              .filter(o -> o.specPrefix() != null && pool.delegates(Ipv6Prefix.parse(o.specPrefix())))
              .filter(o -> o.readyFor(o.specPrefix()))
              .filter(o -> monitor.firstAdded("local", o.podCidrs().get(0), since).isPresent())));
    }
    return converged;
  }

  /** The samples of one renumbering, one per node, from the captures, the watch, the route monitors and the logs. */
  private List<Sample> samples(Renumbering renumbering) {
    ComponentLog operatorLog = ComponentLog.read(operatorLogs());
    List<Sample> samples = new ArrayList<>();
    for (Map.Entry<Integer, Observation> entry : renumbering.to().entrySet()) {
      int node = entry.getKey();
      String name = cluster.nodeName(node);
      String prefix = entry.getValue().specPrefix();
      String podCidr = entry.getValue().podCidrs().get(0);
      Instant since = renumbering.reconfigured();
      Instant reply = replies.get(node).firstDelegating(prefix, since)
          .orElseThrow(() -> new LabException("no Reply delegating " + prefix + " was captured on " + name))
          .at();
      Pattern agentLine = Pattern.compile(": (\\w+) " + Pattern.quote(prefix) + " \\(");
      var agentLogged = ComponentLog.read(List.of(cluster.agent(node).log())).first(agentLine, since);
      String event = agentLogged.map(l -> {
        Matcher m = agentLine.matcher(l.text());
        return m.find() ? m.group(1) : "?";
      }).orElse("?");
      var operatorLogged = operatorLog.first(
          Pattern.compile("renumbered from=\\S+ to=" + Pattern.quote(prefix) + " "), since);
      // converge() saw all three, so they are there.
      Instant specSeen = leases.first(name, since, o -> prefix.equals(o.specPrefix())).orElseThrow().at();
      Instant statusSeen = leases.first(name, since,
          o -> prefix.equals(o.statusPrefix()) && o.phase() == LeasePhase.Ready).orElseThrow().at();
      Instant kernelRoute = routes.get(node).firstAdded("local", podCidr, since).orElseThrow();
      Observation from = renumbering.from().get(node);
      Instant oldRouteDeleted = routes.get(node).firstDeleted("local", from.podCidrs().get(0), since)
          .filter(deleted -> deleted.isBefore(kernelRoute)).orElse(null);
      samples.add(new Sample(renumbering.index(), node, from.specPrefix(), prefix, podCidr, event, reply,
          agentLogged.map(ComponentLog.Line::at).orElse(null), specSeen,
          operatorLogged.map(ComponentLog.Line::at).orElse(null), statusSeen, kernelRoute, oldRouteDeleted));
    }
    return samples;
  }

  /** Every log the operator wrote: the cluster restarts it, as a kubelet would, if it exits. */
  private List<Path> operatorLogs() {
    try (Stream<Path> files = Files.list(cluster.lab().dir())) {
      return files.filter(f -> f.getFileName().toString().matches("operator-\\d+\\.log")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + cluster.lab().dir(), e);
    }
  }

  private Map<Integer, ProcessFootprint> footprints() {
    Map<Integer, ProcessFootprint> footprints = new TreeMap<>();
    for (LabNode node : cluster.lab().nodes()) {
      footprints.put(node.index(), ProcessFootprint.of(cluster.agent(node.index()).pid()));
    }
    return footprints;
  }

  private static String progress(int index, PdPool pool, Duration reloadTook, List<Sample> samples) {
    StringBuilder line = new StringBuilder(String.format("renumbering %d into %s (Kea reload %d ms):", index,
        pool.prefix(), reloadTook.toMillis()));
    for (Sample s : samples) {
      line.append(String.format(" node-%d %s (a) %d ms (b) %d ms (c) %d ms;", s.node(), s.toPrefix(),
          s.toKernelRoute().toMillis(), s.toSpec().toMillis(), s.toStatus().toMillis()));
    }
    return line.toString();
  }

  /** Closes the watch before the cluster goes, so it does not log the API server's shutdown; the lab stops the rest. */
  @Override
  public void close() {
    leases.close();
  }

  private static void write(Path dir, String name, String content) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
    }
  }

  private static void say(String message) {
    System.out.println("==> " + message);
  }
}
