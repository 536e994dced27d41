package io.kubepd.e2e.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The benchmark's results as markdown for people and as CSV (one line per sample) for tools. */
final class RenumberingReport {
  private RenumberingReport() {}

  static String markdown(RenumberingBench.Result result) {
    List<Sample> samples = result.samples();
    StringBuilder md = new StringBuilder();
    md.append("# Renumbering convergence and agent footprint, ").append(LocalDate.now()).append("\n\n");
    md.append("Issue 5 benchmark, produced by `bench/renumbering.sh` (`io.kubepd.e2e.bench.RenumberingBench`). kubepd ")
        .append(commit(result.repoRoot())).append(", ").append(result.keaVersion()).append(", Java ")
        .append(System.getProperty("java.version")).append(", Linux ").append(System.getProperty("os.version"))
        .append(".\n\n");
    if (result.abortReason() != null) {
      md.append("**Incomplete run**: stopped at ").append(result.abortReason())
          .append(". The numbers below cover the renumberings before it.\n\n");
    }

    md.append("## Setup\n\n");
    md.append("- One `LocalCluster`: a real kube-apiserver and etcd with the Helm chart installed, ISC Kea in a router "
        + "network namespace, the operator jar, and the agent jar in `agent` mode in each of ")
        .append(RenumberingBench.NODES).append(" node namespaces.\n");
    md.append("- ").append(samples.size() / RenumberingBench.NODES).append(" renumberings: Kea's pool switched "
        + "(`config-reload`) to the next of ")
        .append(RenumberingBench.POOLS.stream().map(p -> "`" + p.prefix() + "`").collect(Collectors.joining(", ")))
        .append(" in turn")
        .append(", /").append(RenumberingBench.POOLS.get(0).delegatedLength()).append("s delegated; ")
        .append(samples.size()).append(" samples per measure (renumberings x nodes).\n");
    var timers = RenumberingBench.TIMERS;
    md.append(String.format("- Kea timers: renew %d s, rebind %d s, preferred %d s, valid %d s. A node gets the new "
            + "prefix at its next Renew; the next renumbering starts once every node is Ready on its new prefix, "
            + "the old prefix's routes have left its kernel, and no plan in its lease's status points into the next "
            + "pool.%n",
        timers.renew().toSeconds(), timers.rebind().toSeconds(), timers.preferred().toSeconds(),
        timers.valid().toSeconds()));
    HostLoad load = result.load();
    md.append(String.format(Locale.ROOT, "- Machine: %d CPUs, shared with other builds during the run. 1-minute load "
            + "average %.2f at the start, mean %.2f, max %.2f (sampled before each renumbering); CPUs %.0f%% busy "
            + "over the %s measured (all processes, the cluster's own included).%n%n",
        HostLoad.cpus(), load.firstLoad(), load.meanLoad(), load.maxLoad(), load.busy() * 100,
        minutes(result.measuredFor())));

    md.append("## Convergence after the Reply carrying the new prefix\n\n");
    md.append("Start of every measure: the capture time of the DHCPv6 Reply that delegates the new prefix, taken by "
        + "tcpdump on the node's uplink inside its namespace (kernel timestamp, before the agent reads the packet). "
        + "All clocks are the host's.\n\n");
    md.append("| measure | end point | samples | p50 | p99 | max | p99 <= 500 ms |\n");
    md.append("|---|---|--:|--:|--:|--:|---|\n");
    row(md, "(a) kernel route", "`ip -ts -6 monitor route` in the node's namespace announces `local <new pod CIDR> "
        + "... proto 249`", Percentiles.of(samples.stream().map(Sample::toKernelRoute).toList()));
    row(md, "(b) PrefixLease spec", "a watch on PrefixLeases delivers `spec.delegatedPrefix` = new prefix (the "
        + "watch's delivery latency is included)", Percentiles.of(samples.stream().map(Sample::toSpec).toList()));
    row(md, "(c) operator status", "a watch delivers `status.delegatedPrefix` = new prefix with phase Ready (watch "
        + "latency included)", Percentiles.of(samples.stream().map(Sample::toStatus).toList()));
    md.append("\nPercentiles are nearest-rank: with fewer than 100 samples, p99 is the maximum. ")
        .append("The agent reported the new prefix as ")
        .append(samples.stream().collect(Collectors.groupingBy(Sample::agentEvent, TreeMap::new,
            Collectors.counting())).entrySet().stream().map(e -> e.getKey() + " x" + e.getValue())
            .collect(Collectors.joining(", ")))
        .append(".\n\n");
    List<Sample> gaps = samples.stream().filter(s -> s.oldRouteDeleted() != null).toList();
    Percentiles gap = Percentiles.of(gaps.stream().map(Sample::withoutPodRoute).toList());
    md.append(String.format(Locale.ROOT, "Pod routes during the switch: in %d of %d samples the old pod CIDR's "
            + "local route left the kernel before the new one arrived, leaving the node without a local pod route "
            + "for p50 %.0f ms, max %.0f ms (old route deleted -> new route added, both from ip monitor).%n%n",
        gaps.size(), samples.size(), gap.p50Ms(), gap.maxMs()));

    md.append("## Where the time goes\n\n");
    md.append("Each step of the path to (a), from the components' own log lines (millisecond timestamps) and the "
        + "points above. The agent programs the new route only once the operator's plan for the new prefix is in "
        + "the lease's status, so (a) contains (b) and (c). Steps that end or start at a watch event include that "
        + "watch's latency; the agent and this benchmark each have their own watch.\n\n");
    md.append("| step | what happens | p50 | p99 | max |\n|---|---|--:|--:|--:|\n");
    step(md, samples, "Reply -> agent logs the new prefix", "decode, client state machine",
        Sample::reply, Sample::agentLogged);
    step(md, samples, "agent log -> spec seen", "lease file, server-side apply of the spec, watch", Sample::agentLogged,
        Sample::specSeen);
    step(md, samples, "spec seen -> operator logs the renumbering",
        "watch to the operator, reconcile, Node annotation patch", Sample::specSeen, Sample::operatorLogged);
    step(md, samples, "operator log -> status seen", "status patch, watch", Sample::operatorLogged,
        Sample::statusSeen);
    step(md, samples, "status seen -> kernel route", "watch to the agent, route plan, `ip -batch`",
        Sample::statusSeen, Sample::kernelRoute);
    md.append("\n");

    md.append("## Agent footprint\n\n");
    md.append("Agent processes in `agent` mode with the JVM options ")
        .append(result.options().chartAgentJvm() ? "the chart gives them (`agent.javaOptions`)"
            : "`LocalCluster` gives them")
        .append(": `")
        .append(result.agentJvmOptions()).append("`. VmRSS and VmHWM from `/proc/<pid>/status`; \"settled\" is "
            + "after both nodes held their first lease and routes, before the first renumbering.\n\n");
    md.append("| node | VmRSS settled | VmRSS before each renumbering (min - max) | VmRSS at the end | VmHWM (peak) "
        + "| CPU during the run | VmRSS <= 64 MiB |\n|---|--:|--:|--:|--:|--:|---|\n");
    for (var entry : result.agentsAtEnd().entrySet()) {
      int node = entry.getKey();
      ProcessFootprint start = result.agentsAtStart().get(node);
      ProcessFootprint end = entry.getValue();
      List<Long> during = result.rssDuringKib().getOrDefault(node, List.of());
      long maxRss = Math.max(end.rssKib(), during.stream().mapToLong(Long::longValue).max().orElse(0));
      md.append(String.format(Locale.ROOT, "| node-%d | %s | %s - %s | %s | %s | %.1f s | %s |%n", node,
          mib(start.rssKib()), mib(during.stream().mapToLong(Long::longValue).min().orElse(0)),
          mib(during.stream().mapToLong(Long::longValue).max().orElse(0)), mib(end.rssKib()), mib(end.peakRssKib()),
          end.cpuSeconds() - start.cpuSeconds(), maxRss <= RenumberingBench.RSS_TARGET_KIB ? "yes" : "**no**"));
    }
    md.append("\n");

    md.append("## Slowest samples by (a)\n\n");
    md.append("| renumbering | node | new prefix | (a) | (b) | (c) | Reply -> agent log | spec -> operator log "
        + "| status -> route |\n|--:|---|---|--:|--:|--:|--:|--:|--:|\n");
    samples.stream().sorted(Comparator.comparing(Sample::toKernelRoute).reversed()).limit(5).forEach(s ->
        md.append(String.format(Locale.ROOT, "| %d | node-%d | %s | %s | %s | %s | %s | %s | %s |%n",
            s.renumbering(), s.node(), s.toPrefix(), ms(s.toKernelRoute()), ms(s.toSpec()), ms(s.toStatus()),
            ms(s.reply(), s.agentLogged()), ms(s.specSeen(), s.operatorLogged()),
            ms(s.statusSeen(), s.kernelRoute()))));
    md.append("\nEvery sample with all its instants: the CSV next to this file.\n");
    return md.toString();
  }

  static String csv(RenumberingBench.Result result) {
    StringBuilder csv = new StringBuilder("renumbering,node,from_prefix,to_prefix,pod_cidr,agent_event,reply,"
        + "agent_logged,spec_seen,operator_logged,status_seen,kernel_route,old_route_deleted,a_route_ms,b_spec_ms,"
        + "c_status_ms,without_pod_route_ms\n");
    for (Sample s : result.samples()) {
      csv.append(String.join(",", Integer.toString(s.renumbering()), "node-" + s.node(), s.fromPrefix(),
          s.toPrefix(), s.podCidr(), s.agentEvent(), iso(s.reply()), iso(s.agentLogged()), iso(s.specSeen()),
          iso(s.operatorLogged()), iso(s.statusSeen()), iso(s.kernelRoute()), iso(s.oldRouteDeleted()),
          number(s.toKernelRoute()), number(s.toSpec()), number(s.toStatus()), number(s.withoutPodRoute())))
          .append('\n');
    }
    return csv.toString();
  }

  private static void row(StringBuilder md, String measure, String endPoint, Percentiles p) {
    double target = RenumberingBench.TARGET.toMillis();
    md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f ms | %.1f ms | %.1f ms | %s |%n", measure, endPoint,
        p.count(), p.p50Ms(), p.p99Ms(), p.maxMs(), p.p99Ms() <= target ? "yes" : "**no**"));
  }

  private static void step(StringBuilder md, List<Sample> samples, String step, String what,
      Function<Sample, Instant> from, Function<Sample, Instant> to) {
    Percentiles p = Percentiles.of(samples.stream().filter(s -> from.apply(s) != null && to.apply(s) != null)
        .map(s -> Duration.between(from.apply(s), to.apply(s))).toList());
    md.append(String.format(Locale.ROOT, "| %s | %s | %d ms | %d ms | %d ms |%n", step, what, Math.round(p.p50Ms()),
        Math.round(p.p99Ms()), Math.round(p.maxMs())));
  }

  private static String ms(Duration d) {
    // Rounded to a long: log times have whole milliseconds, so a step can come out a fraction below zero.
    return Math.round(d.toNanos() / 1e6) + " ms";
  }

  private static String ms(Instant from, Instant to) {
    return from == null || to == null ? "?" : ms(Duration.between(from, to));
  }

  private static String number(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e6);
  }

  private static String iso(Instant instant) {
    return instant == null ? "" : instant.toString();
  }

  private static String mib(long kib) {
    return String.format(Locale.ROOT, "%.1f MiB", kib / 1024.0);
  }

  private static String minutes(Duration d) {
    return String.format("%d min %d s", d.toMinutes(), d.toSecondsPart());
  }

  /** The commit of the jars the benchmark ran, with a mark when the working tree had changes. */
  private static String commit(Path repoRoot) {
    try {
      Process git = new ProcessBuilder("git", "-C", repoRoot.toString(), "describe", "--always", "--dirty")
          .redirectErrorStream(true).start();
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return git.waitFor() == 0 ? "commit " + out : "(commit unknown: " + out + ")";
    } catch (IOException e) {
      return "(commit unknown: " + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(commit unknown)";
    }
  }
}
