package io.kubepd.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.operator.allocation.Ipv6Prefix;
import io.kubepd.operator.it.Cluster;
import io.kubepd.testkit.kube.KubeApiServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Scale benchmark, run on demand (not part of {@code mvn verify}): {@code bench/operator/run.sh}, or
 * {@code ./mvnw -pl operator -am verify -Dit.test=OperatorBench -Dbench.nodes=1000,5000 -Dtest=NONE
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}.
 *
 * <p>For each scenario and N: a fresh API server; the operator jar as its own process with the chart's JVM settings
 * under a 384 MiB limit; N Nodes and N PrefixLeases created by 16 threads, before the operator starts ({@code cold})
 * or while it runs ({@code burst}). Measured: time until every lease has its pod CIDR, the operator's RSS (current
 * and peak) and live heap (after a full GC), and the latency from a single lease change (a renumbering) to its
 * new status, p50/p99 over 200 sequential changes after 50 unmeasured ones. Results are appended to
 * {@code target/bench-operator.md}.
 */
class OperatorBench {
  private static final Path JAR = Path.of("target/kubepd-operator.jar");
  private static final Path RESULTS = Path.of("target/bench-operator.md");
  private static final int CREATORS = 16;
  private static final int CHANGES = 200;
  private static final int WARMUP = 50;

  @Test
  void scale() throws Exception {
    String threads = System.getProperty("bench.threads", "32");
    for (String scenario : System.getProperty("bench.scenarios", "cold,burst").split(",")) {
      for (String n : System.getProperty("bench.nodes", "1000,5000").split(",")) {
        run(scenario.trim(), Integer.parseInt(n.trim()), threads);
      }
    }
  }

  /**
   * One measurement on a fresh API server. {@code cold}: N Nodes and leases exist, then the operator starts (a
   * restart, or an install into a running cluster). {@code burst}: the operator runs while N Nodes and leases are
   * created at once.
   */
  private void run(String scenario, int n, String threads) throws Exception {
    try (KubeApiServer api = KubeApiServer.start()) {
      KubernetesClient client = api.client();
      Cluster.installCrds(client);
      LeaseWatch watch = new LeaseWatch(client, n);
      long creation = 0;
      if (scenario.equals("cold")) {
        creation = createAll(client, n);
      }
      int metricsPort = freePort();
      Path log = Files.createTempFile("kubepd-bench-operator-", ".log");
      long operatorStart = System.nanoTime();
      Process operator = startOperator(api, metricsPort, threads, log);
      HttpClient http = HttpClient.newHttpClient();
      try {
        Cluster.awaitTrue(() -> get(http, metricsPort, "/readyz").startsWith("ok"));
        // cold: from the operator's start; burst: from the first create.
        long start = operatorStart;
        if (scenario.equals("burst")) {
          start = System.nanoTime();
          creation = createAll(client, n);
        }
        assertThat(watch.allAllocated.await(15, TimeUnit.MINUTES)).as("every lease got its pod CIDR").isTrue();
        long allocated = watch.lastAllocation() - start;
        long pid = operator.pid();
        long rssLoaded = procStatusKb(pid, "VmRSS");
        // The live heap: what survives a full collection (garbage waits for one under SerialGC).
        new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid),
            "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
            .waitFor(60, TimeUnit.SECONDS);
        String scrape = get(http, metricsPort, "/metrics");
        double heapUsed = sumMetric(scrape, "jvm_memory_used_bytes{area=\"heap\"");
        double heapMax = sumMetric(scrape, "jvm_memory_max_bytes{area=\"heap\"");
        long[] latencies = changeLatencies(client, watch, n);
        long rss = Math.max(rssLoaded, procStatusKb(pid, "VmRSS"));
        long rssPeak = procStatusKb(pid, "VmHWM");
        String reconciles = reconcileShares(get(http, metricsPort, "/metrics"));
        watch.close();

        String row = String.format("| %s | %,d | %.1f s | %.1f s | %d MiB | %d MiB | %.0f / %.0f MiB | %.1f ms "
                + "| %.1f ms | %s | %s |%n",
            scenario, n, seconds(creation), seconds(allocated), rss / 1024, rssPeak / 1024, heapUsed / (1 << 20),
            heapMax / (1 << 20), millis(latencies[CHANGES / 2]), millis(latencies[(int) Math.ceil(CHANGES * 0.99) - 1]),
            threads, reconciles);
        System.out.print(row);
        if (!Files.exists(RESULTS)) {
          Files.writeString(RESULTS, "| scenario | N | creating N Nodes + leases | all leases have pod CIDRs | RSS "
              + "| RSS peak | live heap / max | change→status p50 | p99 | threads | reconciliations |\n"
              + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        }
        Files.writeString(RESULTS, row, StandardOpenOption.APPEND);
      } finally {
        operator.destroy();
        operator.waitFor(30, TimeUnit.SECONDS);
        System.out.println("operator log: " + log);
      }
    }
  }

  /** The operator jar in the chart's container: 384 MiB limit, -XX:MaxRAMPercentage=60 -XX:+UseSerialGC. */
  private static Process startOperator(KubeApiServer api, int port, String threads, Path log) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:MaxRAM=384m", "-XX:MaxRAMPercentage=60", "-XX:+UseSerialGC"));
    String extra = System.getProperty("bench.jvmArgs", "");
    if (!extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.addAll(List.of("-jar", JAR.toString(),
        "--kubeconfig=" + api.kubeconfig(), "--leader-election=false", "--metrics-port=" + port,
        "--health-port=" + port, "--reconcile-threads=" + threads,
        "--log-level=" + System.getProperty("bench.logLevel", "warn")));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Creates N Nodes and their leases from 16 threads; returns how long that took (nanoseconds). */
  private static long createAll(KubernetesClient client, int n) throws Exception {
    ExecutorService creators = Executors.newFixedThreadPool(CREATORS);
    long start = System.nanoTime();
    try {
      List<Future<?>> created = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        created.add(creators.submit(() -> createNodeAndLease(client, index)));
      }
      for (Future<?> f : created) {
        f.get(10, TimeUnit.MINUTES);
      }
    } finally {
      creators.shutdown();
    }
    return System.nanoTime() - start;
  }

  /** Renumbers random leases one at a time and measures until each new status is seen. */
  private static long[] changeLatencies(KubernetesClient client, LeaseWatch watch, int n) throws Exception {
    Random random = new Random(42);
    long[] latencies = new long[CHANGES];
    // The first WARMUP changes are not measured: the JIT compiles the change path on them.
    for (int c = -WARMUP; c < CHANGES; c++) {
      int index = random.nextInt(n);
      String name = "bench-" + index + "-eth0";
      String prefix = prefix(index, c + WARMUP + 1);
      CompletableFuture<Long> done = watch.expect(name, prefix);
      long sent = System.nanoTime();
      // As the agent writes: a patch without resourceVersion, so it never conflicts with status writes.
      client.resources(PrefixLease.class).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\":{\"delegatedPrefix\":\"" + prefix + "\"}}");
      long latency = done.get(60, TimeUnit.SECONDS) - sent;
      if (c >= 0) {
        latencies[c] = latency;
      }
    }
    Arrays.sort(latencies);
    return latencies;
  }

  /** Watches leases like a user would: when each first has a pod CIDR, and when an expected prefix shows. */
  private static final class LeaseWatch implements AutoCloseable {
    final CountDownLatch allAllocated;
    final Map<String, Long> allocatedAt = new ConcurrentHashMap<>();
    final Map<String, String> expected = new ConcurrentHashMap<>();
    final Map<String, CompletableFuture<Long>> awaited = new ConcurrentHashMap<>();
    final SharedIndexInformer<PrefixLease> informer;

    LeaseWatch(KubernetesClient client, int n) {
      allAllocated = new CountDownLatch(n);
      informer = client.resources(PrefixLease.class).inform(new ResourceEventHandler<>() {
        @Override
        public void onAdd(PrefixLease lease) {
          seen(lease);
        }

        @Override
        public void onUpdate(PrefixLease old, PrefixLease lease) {
          seen(lease);
        }

        @Override
        public void onDelete(PrefixLease lease, boolean unknown) {}
      });
    }

    CompletableFuture<Long> expect(String lease, String prefix) {
      CompletableFuture<Long> done = new CompletableFuture<>();
      expected.put(lease, prefix);
      awaited.put(lease, done);
      return done;
    }

    long lastAllocation() {
      return allocatedAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    private void seen(PrefixLease lease) {
      long now = System.nanoTime();
      String name = lease.getMetadata().getName();
      if (lease.getStatus() == null || lease.getStatus().getPodCIDRs().isEmpty()) {
        return;
      }
      if (allocatedAt.putIfAbsent(name, now) == null) {
        allAllocated.countDown();
      }
      CompletableFuture<Long> waiting = awaited.get(name);
      if (waiting != null && lease.getStatus().getDelegatedPrefix().equals(expected.get(name))) {
        awaited.remove(name);
        waiting.complete(now);
      }
    }

    @Override
    public void close() {
      informer.close();
    }
  }

  private static void createNodeAndLease(KubernetesClient client, int index) {
    String nodeName = "bench-" + index;
    Node node = client.resource(new NodeBuilder().withNewMetadata().withName(nodeName)
        .addToLabels("kubernetes.io/hostname", nodeName).endMetadata().build()).create();
    PrefixLease lease = Cluster.lease(nodeName + "-eth0", nodeName, prefix(index, 0),
        Instant.now().plus(Duration.ofHours(2)));
    lease.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
        .withName(nodeName).withUid(node.getMetadata().getUid()).build()));
    client.resource(lease).create();
  }

  /** A distinct /56 per node (third hextet) and renumbering generation (second hextet). */
  private static String prefix(int index, int generation) {
    return Ipv6Prefix.parse("2001:" + Integer.toHexString(0xdb8 + generation) + ":" + Integer.toHexString(index)
        + "::/56").toString();
  }

  private static String reconcileShares(String scrape) {
    // Share of reconciliations under 10 ms and 100 ms, from the histogram.
    double total = sumMetric(scrape, "kubepd_reconcile_seconds_count");
    double under10 = bucket(scrape, "0.01");
    double under100 = bucket(scrape, "0.1");
    return String.format("%.0f reconciles, %.1f%% ≤10 ms, %.1f%% ≤100 ms", total, 100 * under10 / total,
        100 * under100 / total);
  }

  private static double bucket(String scrape, String le) {
    return scrape.lines().filter(l -> l.startsWith("kubepd_reconcile_seconds_bucket{"))
        .filter(l -> l.contains("le=\"" + le))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(Double.NaN);
  }

  private static double sumMetric(String scrape, String prefix) {
    return scrape.lines().filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private static long procStatusKb(long pid, String field) throws IOException {
    return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
        .filter(l -> l.startsWith(field + ":"))
        .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1);
  }

  private static String get(HttpClient http, int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
