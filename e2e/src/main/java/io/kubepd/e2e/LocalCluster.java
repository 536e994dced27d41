package io.kubepd.e2e;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.testkit.kube.ApiProxy;
import io.kubepd.testkit.kube.KubeApiServer;
import io.kubepd.testkit.lab.Dhcp6ServerConfig;
import io.kubepd.testkit.lab.Dhcp6Timers;
import io.kubepd.testkit.lab.KeaServer;
import io.kubepd.testkit.lab.LabNode;
import io.kubepd.testkit.lab.LabProcess;
import io.kubepd.testkit.lab.NetnsLab;
import io.kubepd.testkit.lab.PdPool;
import io.kubepd.testkit.lab.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kubepd as a whole on one machine: a real API server with the Helm chart installed, a router namespace running
 * Kea, one namespace per node running the agent jar as it ships, and the operator jar in the host namespace.
 *
 * <p>Agents reach the API server on {@code https://127.0.0.1:6443} inside their namespace: socat there forwards to
 * a Unix socket (file-system sockets cross network namespaces) served by an {@link ApiProxy}, which a test can cut
 * to make the API server unreachable for every component while it keeps its data. Each agent authenticates with a
 * service-account token bound to a pod on its node, so the chart's RBAC and admission policy apply as in a cluster.
 */
public final class LocalCluster implements AutoCloseable {
  public static final String NAMESPACE = "kubepd-system";
  /** The lab's uplink interface in each node namespace; the DelegationPolicy requests prefixes on it. */
  public static final String UPLINK = "uplink0";

  private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);
  private static final int NODE_API_PORT = 6443;

  private final Settings settings;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Map<Integer, LabProcess> agents = new HashMap<>();
  private final Map<Integer, Integer> agentStarts = new HashMap<>();
  private KubeApiServer api;
  private NetnsLab lab;
  private KeaServer kea;
  private ApiProxy nodeApiProxy;
  private ApiProxy operatorApiProxy;
  private LabProcess operator;
  private int operatorStarts;

  /** What to run: how many nodes, Kea's pool and timers, where the jars are, how the processes start. */
  public record Settings(int nodes, PdPool pool, Dhcp6Timers timers, boolean rapidCommit, Path repoRoot,
      Map<String, Object> chartValues, Launcher launcher) {
    public static Settings defaults() {
      Path repoRoot = findRepoRoot();
      return new Settings(2, PdPool.of("2001:db8:100::/48", 56),
          Dhcp6Timers.ofSeconds(20, 32, 40, 60), true, repoRoot, Map.of(), Launcher.jars(repoRoot));
    }

    public Settings withTimers(Dhcp6Timers newTimers) {
      return new Settings(nodes, pool, newTimers, rapidCommit, repoRoot, chartValues, launcher);
    }

    public Settings withNodes(int count) {
      return new Settings(count, pool, timers, rapidCommit, repoRoot, chartValues, launcher);
    }

    public Settings withLauncher(Launcher newLauncher) {
      return new Settings(nodes, pool, timers, rapidCommit, repoRoot, chartValues, newLauncher);
    }

    Path agentJar() {
      return agentJar(repoRoot);
    }

    Path operatorJar() {
      return operatorJar(repoRoot);
    }

    static Path agentJar(Path repoRoot) {
      return repoRoot.resolve("dhcp-agent/target/kubepd-dhcp-agent.jar");
    }

    static Path operatorJar(Path repoRoot) {
      return repoRoot.resolve("operator/target/kubepd-operator.jar");
    }

    Path chart() {
      return repoRoot.resolve("helm/kubepd");
    }

    private static Path findRepoRoot() {
      Path dir = Path.of(System.getProperty("kubepd.repoRoot", ".")).toAbsolutePath().normalize();
      while (dir != null && !Files.isDirectory(dir.resolve("helm/kubepd"))) {
        dir = dir.getParent();
      }
      if (dir == null) {
        throw new IllegalStateException("cannot find the kubepd repository; set -Dkubepd.repoRoot");
      }
      return dir;
    }
  }

  /** The two kinds of kubepd process. */
  public enum Component { OPERATOR, AGENT }

  /** A command line and the environment it needs. */
  public record Launch(List<String> command, Map<String, String> environment) {}

  /** Starts the operator and agent processes: by default the shipped jars on this machine's java. */
  public interface Launcher {
    /**
     * The command that runs {@code component} with {@code args} and {@code environment}; every file they name lies
     * under {@code dir}.
     */
    Launch launch(Component component, List<String> args, Map<String, String> environment, Path dir);

    /** The jars as they ship, on this machine's java, with small fixed heaps. */
    static Launcher jars(Path repoRoot) {
      return (component, args, environment, dir) -> {
        List<String> command = new ArrayList<>(component == Component.OPERATOR
            ? List.of("java", "-XX:+UseSerialGC", "-Xmx256m", "-jar", Settings.operatorJar(repoRoot).toString())
            : List.of("java", "-XX:+UseSerialGC", "-Xmx24m", "-Xss256k", "-XX:TieredStopAtLevel=1",
                "-jar", Settings.agentJar(repoRoot).toString()));
        command.addAll(args);
        return new Launch(command, environment);
      };
    }
  }

  private LocalCluster(Settings settings) {
    this.settings = settings;
  }

  /** Starts everything; on failure, stops what was started. */
  public static LocalCluster start(Settings settings) {
    for (Path jar : List.of(settings.agentJar(), settings.operatorJar())) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(jar + " is missing: build it first (./mvnw package -DskipTests)");
      }
    }
    LocalCluster cluster = new LocalCluster(settings);
    try {
      cluster.startAll();
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private void startAll() {
    log.info("starting kube-apiserver and etcd");
    api = track(KubeApiServer.start());
    log.info("installing the kubepd chart (CRDs, RBAC, admission policy, DelegationPolicy)");
    installChart();

    log.info("building the network lab: a router namespace and {} node namespaces", settings.nodes());
    lab = track(NetnsLab.builder().nodes(settings.nodes()).nodeInterface(UPLINK).build().start());
    kea = lab.kea(Dhcp6ServerConfig.forLab(lab, settings.pool())
        .withTimers(settings.timers()).withRapidCommit(settings.rapidCommit()));
    log.info("Kea {} delegates /{}s from {} on {}", kea.implementation(), settings.pool().delegatedLength(),
        settings.pool().prefix(), lab.routerInterface());

    URI server = URI.create(api.config().getMasterUrl());
    nodeApiProxy = track(ApiProxy.unix(lab.dir().resolve("api.sock"), server.getHost(), server.getPort()));
    operatorApiProxy = track(ApiProxy.tcp(server.getHost(), server.getPort()));

    for (LabNode node : lab.nodes()) {
      String name = nodeName(node.index());
      // The default route a router advertisement would give the node, so answers find their way back upstream.
      node.netns().execOk("ip", "-6", "route", "replace", "default", "via", NetnsLab.ROUTER_LINK_LOCAL,
          "dev", UPLINK);
      api.client().nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
          .addToLabels("kubernetes.io/hostname", name).addToLabels("kubernetes.io/os", "linux")
          .endMetadata().build()).create();
      node.netns().spawn("api-bridge-" + name, Map.of(), "socat",
          "TCP-LISTEN:" + NODE_API_PORT + ",bind=127.0.0.1,reuseaddr,fork",
          "UNIX-CONNECT:" + lab.dir().resolve("api.sock"));
      writeKubeconfig(agentKubeconfig(node.index()), "https://127.0.0.1:" + NODE_API_PORT,
          agentToken(name));
    }
    writeKubeconfig(lab.dir().resolve("operator.kubeconfig"), "https://127.0.0.1:" + operatorApiProxy.port(),
        serviceAccountToken("kubepd-operator", null));
    startOperator();
    for (LabNode node : lab.nodes()) {
      startAgent(node.index());
    }
    followDelegations();
    superviseOperator();
  }

  /**
   * Restarts the operator when it exits, as the kubelet does for the Deployment's pod: the operator exits on purpose
   * when it loses its leader lease (e.g. while the API server is unreachable), to start over as a candidate.
   */
  private void superviseOperator() {
    ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "operator-supervisor");
      thread.setDaemon(true);
      return thread;
    });
    supervisor.scheduleWithFixedDelay(() -> {
      synchronized (this) {
        if (!operator.isAlive()) {
          log.info("operator exited; restarting it as the kubelet would");
          startOperator();
        }
      }
    }, 1, 1, TimeUnit.SECONDS);
    track(supervisor::shutdownNow);
  }

  /**
   * Keeps a route in the router namespace for every delegated prefix, to the node that holds it, as a delegating
   * router does; old prefixes keep theirs until they expire so draining traffic still arrives.
   */
  private void followDelegations() {
    var informer = client().resources(PrefixLease.class).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(PrefixLease lease) {
        route(lease);
      }

      @Override
      public void onUpdate(PrefixLease before, PrefixLease after) {
        route(after);
      }

      @Override
      public void onDelete(PrefixLease lease, boolean finalStateUnknown) {}

      private void route(PrefixLease lease) {
        String node = lease.getSpec().getNodeName();
        lab.nodes().stream().filter(n -> nodeName(n.index()).equals(node)).findFirst()
            .ifPresent(n -> routeDelegatedPrefix(n.index(), lease.getSpec().getDelegatedPrefix()));
      }
    });
    track(informer::close);
  }

  private void installChart() {
    var install = new Helm(settings.chart()).install().withName("kubepd").withNamespace(NAMESPACE)
        .createNamespace().withKubeConfig(api.kubeconfig())
        .set("policy.uplinks[0].interface", UPLINK)
        .set("policy.uplinks[0].prefixLengthHint", settings.pool().delegatedLength())
        .set("operator.replicas", 1);
    settings.chartValues().forEach(install::set);
    install.call();
  }

  /** Starts (or restarts) the operator process in the host namespace. */
  public synchronized void startOperator() {
    operatorStarts++;
    Launch launch = settings.launcher().launch(Component.OPERATOR, List.of(
        "--namespace=" + NAMESPACE, "--leader-election=true", "--identity=operator-" + operatorStarts,
        "--metrics-port=0", "--health-port=0"),
        Map.of("KUBECONFIG", lab.dir().resolve("operator.kubeconfig").toString()), lab.dir());
    operator = lab.spawnHost("operator-" + operatorStarts, launch.environment(),
        launch.command().toArray(String[]::new));
  }

  /** Starts (or restarts) node {@code index}'s agent in its namespace, as the DaemonSet would. */
  public synchronized void startAgent(int index) {
    int start = agentStarts.merge(index, 1, Integer::sum);
    LabNode node = lab.node(index);
    Path state = lab.dir().resolve("state-" + nodeName(index));
    Launch launch = settings.launcher().launch(Component.AGENT, List.of("agent",
        "--node-name=" + nodeName(index), "--state-dir=" + state,
        "--health-address=127.0.0.1:9546", "--metrics-port=9547", "--log-level=info"),
        Map.of("KUBECONFIG", agentKubeconfig(index).toString()), lab.dir());
    agents.put(index, node.netns().spawn("agent-" + nodeName(index) + "-" + start, launch.environment(),
        launch.command().toArray(String[]::new)));
  }

  /** Kills node {@code index}'s agent with SIGKILL: no shutdown hook, no chance to tidy up. */
  public synchronized void killAgent(int index) {
    LabProcess agent = agents.get(index);
    ProcessHandle.of(agent.pid()).ifPresent(ProcessHandle::destroyForcibly);
    Poll.until(Duration.ofSeconds(10), "agent " + index + " gone", () -> !agent.isAlive());
  }

  public LabProcess agent(int index) {
    return agents.get(index);
  }

  public LabProcess operator() {
    return operator;
  }

  /** Makes the API server unreachable for the operator and every agent; it keeps running with its data. */
  public void cutApiServer() {
    nodeApiProxy.cut();
    operatorApiProxy.cut();
  }

  public void restoreApiServer() {
    nodeApiProxy.resume();
    operatorApiProxy.resume();
  }

  public KubeApiServer api() {
    return api;
  }

  public KubernetesClient client() {
    return api.client();
  }

  public NetnsLab lab() {
    return lab;
  }

  public KeaServer kea() {
    return kea;
  }

  public String nodeName(int index) {
    return "node-" + index;
  }

  /** This node's PrefixLease on the uplink, if the agent has reported one. */
  public Optional<PrefixLease> lease(int index) {
    return client().resources(PrefixLease.class).withLabel(PrefixLease.NODE_LABEL, nodeName(index)).list()
        .getItems().stream().findFirst();
  }

  /**
   * Routes the delegated prefix to the node in the router namespace, as a delegating router does: to the node's
   * link-local address on the shared link.
   */
  public void routeDelegatedPrefix(int index, String prefix) {
    lab.router().execOk("ip", "-6", "route", "replace", prefix, "via", lab.node(index).linkLocal(),
        "dev", lab.routerInterface());
  }

  private Path agentKubeconfig(int index) {
    return lab.dir().resolve("agent-" + nodeName(index) + ".kubeconfig");
  }

  /** A token of the agent's service account bound to a pod on the node: it carries the node's name. */
  private String agentToken(String node) {
    Pod pod = client().pods().inNamespace(NAMESPACE).resource(new PodBuilder()
        .withNewMetadata().withName("kubepd-agent-" + node).endMetadata()
        .withNewSpec().withNodeName(node).withServiceAccountName("kubepd-agent")
        .addNewContainer().withName("agent").withImage("ghcr.io/kubepd/dhcp-agent:0.1.0").endContainer()
        .endSpec().build()).create();
    return serviceAccountToken("kubepd-agent", pod);
  }

  private String serviceAccountToken(String serviceAccount, Pod boundTo) {
    var spec = new TokenRequestBuilder().withNewSpec().withExpirationSeconds(24 * 3600L);
    if (boundTo != null) {
      spec.withNewBoundObjectRef().withApiVersion("v1").withKind("Pod").withName(boundTo.getMetadata().getName())
          .withUid(boundTo.getMetadata().getUid()).endBoundObjectRef();
    }
    return client().serviceAccounts().inNamespace(NAMESPACE).withName(serviceAccount)
        .tokenRequest(spec.endSpec().build()).getStatus().getToken();
  }

  private void writeKubeconfig(Path file, String server, String token) {
    Config admin = api.config();
    String ca = admin.getCaCertData() != null ? admin.getCaCertData()
        : Base64.getEncoder().encodeToString(read(Path.of(admin.getCaCertFile())));
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: kubepd
          user:
            token: %s
        contexts:
        - name: local
          context: {cluster: local, user: kubepd}
        current-context: local
        """.formatted(server, ca, token);
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private <T extends AutoCloseable> T track(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  /** Stops every process by PID, deletes the namespaces, stops the API server. */
  @Override
  public void close() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        log.warn("cleanup of {} failed: {}", closeables.get(i), e.toString());
      }
    }
  }
}
