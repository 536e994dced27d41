package io.kubepd.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command line entry point: {@code java -jar kubepd-operator.jar [options]}; every option also reads an env var. */
@Command(name = "kubepd-operator", mixinStandardHelpOptions = true, version = "kubepd-operator 0.1.0",
    description = "Turns PrefixLeases into pod CIDRs and route plans, and publishes them on the Nodes.")
public final class OperatorMain implements Callable<Integer> {

  @Option(names = "--kubeconfig",
      description = "Kubeconfig file; default: the in-cluster service account, else $KUBECONFIG or ~/.kube/config.")
  private Path kubeconfig;

  @Option(names = "--leader-election", arity = "0..1", fallbackValue = "true",
      defaultValue = "${env:KUBEPD_LEADER_ELECTION:-true}",
      description = "Elect one active replica through a coordination.k8s.io Lease (default: ${DEFAULT-VALUE}).")
  private boolean leaderElection;

  @Option(names = {"--namespace", "--leader-election-namespace"},
      defaultValue = "${env:POD_NAMESPACE:-kube-system}",
      description = "Namespace of the leader Lease, normally the release namespace (default: $POD_NAMESPACE, else "
          + "${DEFAULT-VALUE}).")
  private String leaseNamespace;

  @Option(names = "--leader-election-lease-name", defaultValue = "${env:KUBEPD_LEADER_LEASE:-kubepd-operator}",
      description = "Name of the leader Lease (default: ${DEFAULT-VALUE}).")
  private String leaseName;

  @Option(names = "--lease-duration-seconds", defaultValue = "${env:KUBEPD_LEASE_DURATION_SECONDS:-15}",
      description = "How long a leader holds the Lease without renewing; a standby takes over after it. The leader "
          + "gives up after two thirds of it without a renewal (default: ${DEFAULT-VALUE}).")
  private long leaseDurationSeconds;

  @Option(names = "--identity", defaultValue = "${env:POD_NAME}",
      description = "This replica's name in the Lease and in Events (default: $POD_NAME, else the host name).")
  private String identity;

  @Option(names = "--event-namespace", defaultValue = "${env:KUBEPD_EVENT_NAMESPACE:-default}",
      description = "Namespace for Events about Nodes and PrefixLeases (default: ${DEFAULT-VALUE}).")
  private String eventNamespace;

  @Option(names = "--events-per-second", defaultValue = "${env:KUBEPD_EVENTS_PER_SECOND:-50}",
      description = "Most Kubernetes Events written per second; bursts wait in a queue (default: ${DEFAULT-VALUE}).")
  private int eventsPerSecond;

  @Option(names = "--metrics-port", defaultValue = "${env:KUBEPD_METRICS_PORT:-8080}",
      description = "Port of /metrics; -1 disables (default: ${DEFAULT-VALUE}).")
  private int metricsPort;

  @Option(names = "--health-port", defaultValue = "${env:KUBEPD_HEALTH_PORT:-8081}",
      description = "Port of /healthz and /readyz; -1 disables; same as --metrics-port serves all on one "
          + "(default: ${DEFAULT-VALUE}).")
  private int healthPort;

  @Option(names = "--reconcile-threads", defaultValue = "${env:KUBEPD_RECONCILE_THREADS:-32}",
      description = "Concurrent reconciliations; each mostly waits for the API server, so they are cheap "
          + "(default: ${DEFAULT-VALUE}).")
  private int reconcileThreads;

  @Option(names = "--calico-recheck-seconds", defaultValue = "${env:KUBEPD_CALICO_RECHECK_SECONDS:-60}",
      description = "How often to look for the Calico IPPool CRD while a policy wants pools and it is missing "
          + "(default: ${DEFAULT-VALUE}).")
  private long calicoRecheckSeconds;

  @Option(names = "--informer-list-limit", defaultValue = "${env:KUBEPD_INFORMER_LIST_LIMIT:-500}",
      description = "Page size of the initial LIST of Nodes and PrefixLeases (default: ${DEFAULT-VALUE}).")
  private long informerListLimit;

  @Option(names = "--log-level", defaultValue = "${env:KUBEPD_LOG_LEVEL:-info}",
      description = "error, warn, info, debug or trace (default: ${DEFAULT-VALUE}).")
  private String logLevel;

  public static void main(String[] args) {
    int code = new CommandLine(new OperatorMain()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws Exception {
    // Before the first logger exists: slf4j-simple reads its level once.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevel);
    Duration leaseDuration = Duration.ofSeconds(leaseDurationSeconds);
    KubernetesClient client = kubeconfig == null
        ? new KubernetesClientBuilder().build()
        : new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(read(kubeconfig))).build();
    OperatorSettings settings = OperatorSettings.defaults(identity())
        .withLeaderElection(leaderElection, leaseNamespace, leaseName)
        .withLeaderTiming(leaseDuration, leaseDuration.multipliedBy(2).dividedBy(3),
            Duration.ofMillis(Math.max(1000, leaseDuration.toMillis() / 7)), true)
        .withEventNamespace(eventNamespace)
        .withEventsPerSecond(eventsPerSecond)
        .withPorts(metricsPort, healthPort)
        .withReconcileThreads(reconcileThreads)
        .withCalicoRecheck(Duration.ofSeconds(calicoRecheckSeconds))
        .withInformerListLimit(informerListLimit);
    KubepdOperator replica = KubepdOperator.start(client, settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      replica.close();
      client.close();
      stopped.countDown();
    }, "kubepd-shutdown"));
    stopped.await();
    return 0;
  }

  private String identity() throws IOException {
    return identity != null && !identity.isBlank() ? identity : InetAddress.getLocalHost().getHostName();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read kubeconfig " + file + ": " + e.getMessage(), e);
    }
  }
}
