package io.kubepd.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubepd.crd.v1alpha1.DhcpState;
import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.crd.v1alpha1.PrefixLeaseSpec;
import io.kubepd.testkit.kube.Crds;
import io.kubepd.testkit.kube.KubeApiServerExtension;
import io.kubepd.testkit.lab.Dhcp6ServerConfig;
import io.kubepd.testkit.lab.Dhcp6Timers;
import io.kubepd.testkit.lab.ExecResult;
import io.kubepd.testkit.lab.Ipv6Prefix;
import io.kubepd.testkit.lab.LabAssumptions;
import io.kubepd.testkit.lab.LabNode;
import io.kubepd.testkit.lab.LabProcess;
import io.kubepd.testkit.lab.NetnsLab;
import io.kubepd.testkit.lab.PdPool;
import io.kubepd.testkit.lab.Route;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images as scripts/build-images.sh builds them: archives a registry and containerd accept, named as the chart
 * references them, and both images run from their unpacked layers (scripts/run-image.sh: chroot, read-only root,
 * the chart's capabilities) doing their real work: the agent's {@code ip} programs routes, the agent gets a prefix
 * from Kea, the operator reconciles against a real API server. Needs root (namespaces, chroot); skips otherwise,
 * fails under {@code CI=true}.
 */
class ImagesIT {
  @RegisterExtension
  static final NetnsLab LAB = NetnsLab.builder().build();

  @RegisterExtension
  static final KubeApiServerExtension API = new KubeApiServerExtension();

  private static final Logger log = LoggerFactory.getLogger(ImagesIT.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private static Chart chart;
  private static Path agent;
  private static Path operator;

  @TempDir
  Path tmp;

  @BeforeAll
  static void buildImages() {
    Images.build();
    chart = Chart.render();
    agent = Images.archive("kubepd-dhcp-agent", chart.appVersion());
    operator = Images.archive("kubepd-operator", chart.appVersion());
  }

  @Test
  void archivesCarryTheNamesTheChartPulls() throws IOException {
    OciArchive agentImage = OciArchive.unpack(agent, Files.createDirectory(tmp.resolve("agent")));
    OciArchive operatorImage = OciArchive.unpack(operator, Files.createDirectory(tmp.resolve("operator")));

    assertThat(agentImage.imageName()).isEqualTo(chart.agentImage()).isEqualTo("ghcr.io/kubepd/dhcp-agent:0.1.0");
    assertThat(operatorImage.imageName()).isEqualTo(chart.operatorImage()).isEqualTo("ghcr.io/kubepd/operator:0.1.0");
    for (OciArchive image : List.of(agentImage, operatorImage)) {
      JsonNode descriptor = image.index().path("manifests").path(0);
      assertThat(descriptor.path("annotations").path("org.opencontainers.image.ref.name").asText())
          .isEqualTo(chart.appVersion());
      assertThat(descriptor.path("platform").path("os").asText()).isEqualTo("linux");
      assertThat(descriptor.path("platform").path("architecture").asText()).isEqualTo("amd64");
      assertThat(image.config().path("config").path("Labels").path("org.opencontainers.image.version").asText())
          .isEqualTo(chart.appVersion());
    }
  }

  @Test
  void configsStartTheJarsAsTheChartRunsThem() throws IOException {
    JsonNode agentConfig = OciArchive.unpack(agent, Files.createDirectory(tmp.resolve("agent"))).config();
    JsonNode operatorConfig = OciArchive.unpack(operator, Files.createDirectory(tmp.resolve("operator"))).config();

    assertThat(strings(agentConfig.path("config").path("Entrypoint"))).containsExactly("/opt/java/bin/java",
        "-XX:SharedArchiveFile=/app/kubepd-dhcp-agent.jsa", "-jar", "/app/kubepd-dhcp-agent.jar");
    assertThat(strings(operatorConfig.path("config").path("Entrypoint")))
        .containsExactly("/opt/java/bin/java", "-jar", "/app/kubepd-operator.jar");
    // The pod specs' users are the images' own, so the images also run right without a securityContext.
    assertThat(agentConfig.path("config").path("User").asText()).isEqualTo(chart.agentUid() + ":0");
    assertThat(operatorConfig.path("config").path("User").asText()).isEqualTo(chart.operatorUser())
        .isEqualTo("65532:65532");
    for (JsonNode config : List.of(agentConfig, operatorConfig)) {
      assertThat(strings(config.path("config").path("Env"))).contains("LANG=C.UTF-8", "JAVA_HOME=/opt/java");
      assertThat(config.path("config").path("Labels").path("org.opencontainers.image.title").asText())
          .startsWith("kubepd-");
    }
  }

  @Test
  void theRuntimesDefaultsIncludeEveryJvmOptionTheChartSets() throws IOException {
    JsonNode agentConfig = OciArchive.unpack(agent, Files.createDirectory(tmp.resolve("agent"))).config();
    JsonNode operatorConfig = OciArchive.unpack(operator, Files.createDirectory(tmp.resolve("operator"))).config();

    // -Xshare:auto is the JVM's default; the runtime has its CDS archive (see the footprint test).
    assertThat(options(agentConfig)).containsAll(chartOptions(chart.agentJavaToolOptions()));
    assertThat(options(operatorConfig)).containsAll(chartOptions(chart.operatorJavaToolOptions()));
  }

  @Test
  void everyBlobMatchesItsDescriptorAndTheImagesShareTheirBase() throws IOException {
    OciArchive agentImage = OciArchive.unpack(agent, Files.createDirectory(tmp.resolve("agent")));
    OciArchive operatorImage = OciArchive.unpack(operator, Files.createDirectory(tmp.resolve("operator")));

    assertThat(agentImage.blobProblems()).isEmpty();
    assertThat(operatorImage.blobProblems()).isEmpty();
    // Base libraries, (agent only: iproute2), the Java runtime, the jar.
    assertThat(agentImage.layerDigests()).hasSize(4);
    assertThat(operatorImage.layerDigests()).hasSize(3);
    assertThat(agentImage.layerDigests().get(0)).isEqualTo(operatorImage.layerDigests().get(0));
  }

  @Test
  void aRegistryClientReadsTheArchives() {
    Optional<Path> skopeo = LabAssumptions.findBinary("skopeo");
    if (skopeo.isEmpty()) {
      String reason = "skopeo not found (Debian package skopeo); run scripts/install-test-deps.sh as root";
      assertThat(LabAssumptions.strict()).as("CI=true, so failing instead of skipping: " + reason).isFalse();
      Assumptions.abort(reason);
    }
    for (Path archive : List.of(agent, operator)) {
      // A copy reads every blob and checks it against its digest; inspect parses manifest and config.
      Path copy = tmp.resolve(archive.getFileName() + ".layout");
      Commands.run(List.of(skopeo.get().toString(), "copy", "--quiet", "oci-archive:" + archive,
          "oci:" + copy + ":copy")).orThrow();
      String inspected = Commands.run(List.of(skopeo.get().toString(), "inspect", "--config",
          "oci-archive:" + archive + ":" + chart.appVersion())).orThrow().stdout();
      assertThat(readJson(inspected).path("config").path("Entrypoint").path(0).asText())
          .isEqualTo("/opt/java/bin/java");
    }
  }

  @Test
  void entrypointsPrintTheirVersionAndHelp() {
    ImageRun agentRun = ImageRun.agentAsDeployed(agent, chart.agentCapabilities());
    assertThat(runOk(agentRun.withArgs("--version")).stdout()).startsWith("kubepd dhcp-agent " + chart.appVersion());
    assertThat(runOk(agentRun.withArgs("help", "agent")).stdout()).contains("--node-name", "--state-dir");

    ImageRun operatorRun = ImageRun.of(operator).withCaps("");
    assertThat(runOk(operatorRun.withArgs("--version")).stdout()).contains("kubepd-operator " + chart.appVersion());
    assertThat(runOk(operatorRun.withArgs("--help")).stdout()).contains("--leader-election", "--kubeconfig");
  }

  @Test
  void footprintDefaultsApplyAndJavaToolOptionsOverridesThem() {
    ImageRun flags = ImageRun.agentAsDeployed(agent, chart.agentCapabilities()).withEntrypoint("/opt/java/bin/java")
        .withArgs("-XX:+PrintCommandLineFlags", "-Xshare:on", "-version");

    String defaults = runOk(flags).stdout();
    assertThat(defaults).contains("-XX:MaxHeapSize=25165824", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-XX:-UsePerfData");
    // What the chart does with agent.javaOptions: the environment ranks above the runtime's built-in options.
    String overridden = runOk(flags.withEnv("JAVA_TOOL_OPTIONS", "-Xmx48m")).stdout();
    assertThat(overridden).contains("-XX:MaxHeapSize=50331648", "-XX:+UseSerialGC");
  }

  @Test
  void theAgentStartsFromItsClassDataArchive() {
    // -Xshare:on turns a class-data archive the JVM would silently skip (another runtime, a changed jar) into an error.
    String out = runOk(ImageRun.agentAsDeployed(agent, chart.agentCapabilities())
        .withEnv("JAVA_TOOL_OPTIONS", chart.agentJavaToolOptions() + " -Xshare:on -Xlog:cds=info")
        .withArgs("--version")).stdout();
    assertThat(out).contains("Opened archive /app/kubepd-dhcp-agent.jsa", "kubepd dhcp-agent " + chart.appVersion());
  }

  @Test
  void theAgentImagesIpProgramsRoutesWithOnlyNetAdmin() throws IOException {
    LabNode node = LAB.node(1);
    assertThat(node.exec(ImageRun.of(agent).withEntrypoint("/usr/bin/ip").withArgs("-V").commandArray())
        .orThrow().stdout()).contains("iproute2");

    Path batch = tmp.resolve("routes");
    Files.writeString(batch, """
        route add local 2001:db8:42::/64 dev lo proto 249 table local
        route add unreachable 2001:db8:42::/56 proto 249
        """);
    ImageRun ip = ImageRun.of(agent).withEntrypoint("/usr/bin/ip").withVolume(batch, "/batch", true);
    ExecResult denied = node.exec(ip.withCaps("").withArgs("-6", "-batch", "/batch").commandArray());
    assertThat(denied.exitCode()).as(denied.toString()).isNotZero();
    assertThat(denied.stderr()).contains("Operation not permitted");

    node.exec(ip.withCaps("net_admin").withArgs("-6", "-batch", "/batch").commandArray()).orThrow();
    assertThat(node.netns().routes()).filteredOn(r -> "249".equals(r.protocol()))
        .extracting(Route::destination).contains("2001:db8:42::/64", "2001:db8:42::/56");
    String listed = node.exec(ip.withCaps("net_admin")
        .withArgs("-6", "-json", "route", "show", "table", "all", "proto", "249").commandArray()).orThrow().stdout();
    assertThat(readJson(listed).findValuesAsText("dst")).contains("2001:db8:42::/64", "2001:db8:42::/56");
  }

  @Test
  void theAgentImageGetsAPrefixFromKeaAndFitsItsMemoryLimit() throws IOException {
    PdPool pool = PdPool.of("2001:db8:100::/48", 56);
    LAB.kea(Dhcp6ServerConfig.forLab(LAB, pool).withTimers(Dhcp6Timers.ofSeconds(20, 32, 40, 60)));
    LabNode node = LAB.node(1);
    Path state = Files.createDirectory(tmp.resolve("state"));
    LabProcess process = node.netns().spawn("agent-image", Map.of(),
        ImageRun.agentAsDeployed(agent, chart.agentCapabilities())
        .withVolume(state, "/var/lib/kubepd", false)
        .withArgs("standalone", "--interface=" + node.interfaceName(), "--state-dir=/var/lib/kubepd",
            "--no-initial-delay", "--rapid-commit")
        .commandArray());

    JsonNode bound = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
        .until(() -> events(process).stream().filter(e -> "bound".equals(e.path("event").asText())).findFirst(),
            Optional::isPresent).orElseThrow();
    Ipv6Prefix prefix = Ipv6Prefix.parse(bound.path("prefix").asText());
    assertThat(pool.delegates(prefix)).as("%s from %s", prefix, pool).isTrue();
    assertThat(state.resolve("identity.json")).as("state on the volume, not the read-only root").exists();

    long rssKib = residentKib(process.pid());
    log.info("agent from the image, bound {}: VmRSS {} KiB", prefix, rssKib);
    assertThat(rssKib * 1024).as("VmRSS of the agent, within the chart's limit").isLessThan(chart.agentMemoryLimit());
    process.stop();
    assertThat(process.isAlive()).isFalse();
    assertThat(process.logText()).doesNotContain("Exception in thread");
  }

  @Test
  void theOperatorImageReconcilesAgainstARealApiServer() throws IOException, InterruptedException {
    KubernetesClient client = API.client();
    Crds.installAll(client, Images.REPO.resolve("helm/kubepd/crds"));
    // The operator runs as 65532: its kubeconfig must be readable by others, as a mounted Secret would be.
    Path config = Files.createDirectory(tmp.resolve("config"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Files.writeString(config.resolve("kubeconfig"), selfContainedKubeconfig(API.server().config()));
    Files.setPosixFilePermissions(config.resolve("kubeconfig"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    int metricsPort = freePort();
    int healthPort = freePort();
    LabProcess process = LAB.spawnHost("operator-image", Map.of(), ImageRun.of(operator).withCaps("")
        .withVolume(config, "/etc/kubepd", true)
        .withArgs("--kubeconfig=/etc/kubepd/kubeconfig", "--namespace=default", "--leader-election=true",
            "--leader-election-lease-name=kubepd-image", "--identity=image-1", "--metrics-port=" + metricsPort,
            "--health-port=" + healthPort, "--reconcile-threads=2")
        .commandArray());

    HttpClient http = HttpClient.newHttpClient();
    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
      process.requireAlive();
      return status(http, healthPort, "/readyz") == 200;
    });
    Lease leader = await().atMost(PATIENCE).until(
        () -> client.leases().inNamespace("default").withName("kubepd-image").get(),
        l -> l != null && "image-1".equals(l.getSpec().getHolderIdentity()));
    assertThat(leader).isNotNull();

    Node node = client.resource(new NodeBuilder().withNewMetadata().withName("image-node")
        .addToLabels("kubernetes.io/hostname", "image-node").endMetadata().build()).create();
    client.resource(lease("image-node-eth0", node, "2001:db8:60::/56")).create();
    PrefixLease ready = await().atMost(PATIENCE).until(
        () -> client.resources(PrefixLease.class).withName("image-node-eth0").get(),
        l -> l.getStatus() != null && l.getStatus().getPhase() == LeasePhase.Ready);
    assertThat(ready.getStatus().getPodCIDRs()).containsExactly("2001:db8:60::/64");
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("kubepd_leader 1.0");
    log.info("operator from the image, leading and reconciled: VmRSS {} KiB", residentKib(process.pid()));

    ProcessHandle handle = ProcessHandle.of(process.pid()).orElseThrow();
    handle.destroy();
    assertThat(handle.onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS).join())
        .as("exits on SIGTERM").isNotNull();
    assertThat(process.logText()).doesNotContain("Exception in thread", "NoClassDefFoundError");
  }

  /** The JVM options built into an image's runtime, from its label. */
  private static List<String> options(JsonNode config) {
    return List.of(config.path("config").path("Labels").path("io.kubepd.java.options").asText().split("\\s+"));
  }

  private static List<String> chartOptions(String javaToolOptions) {
    return List.of(javaToolOptions.trim().split("\\s+")).stream().filter(o -> !o.equals("-Xshare:auto")).toList();
  }

  private static ExecResult runOk(ImageRun run) {
    return Commands.run(run.command(), RUN_TIMEOUT).orThrow();
  }

  /** A kubeconfig with the certificates inline: the operator in the image cannot read files outside it. */
  private static String selfContainedKubeconfig(Config admin) throws IOException {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster: {server: "%s", certificate-authority-data: %s}
        users:
        - name: admin
          user: {client-certificate-data: %s, client-key-data: %s}
        contexts:
        - name: local
          context: {cluster: local, user: admin}
        current-context: local
        """.formatted(admin.getMasterUrl(), data(admin.getCaCertData(), admin.getCaCertFile()),
        data(admin.getClientCertData(), admin.getClientCertFile()),
        data(admin.getClientKeyData(), admin.getClientKeyFile()));
  }

  private static String data(String inline, String file) throws IOException {
    return inline != null ? inline : Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(file)));
  }

  /** A PrefixLease as the agent reports it: Bound, owned by its Node. */
  private static PrefixLease lease(String name, Node node, String prefix) {
    PrefixLease lease = new PrefixLease();
    String nodeName = node.getMetadata().getName();
    lease.getMetadata().setName(name);
    lease.getMetadata().setLabels(Map.of(PrefixLease.NODE_LABEL, nodeName, PrefixLease.INTERFACE_LABEL, "eth0"));
    lease.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("v1")
        .withKind("Node").withName(nodeName).withUid(node.getMetadata().getUid()).build()));
    PrefixLeaseSpec spec = lease.getSpec();
    spec.setNodeName(nodeName);
    spec.setInterfaceName("eth0");
    spec.setIaid(1L);
    spec.setClientDuid("000300015254000000aa");
    spec.setServerDuid("0001000129a1f2e3525400000001");
    spec.setDelegatedPrefix(prefix);
    spec.setT1Seconds(1800);
    spec.setT2Seconds(2880);
    spec.setPreferredLifetimeSeconds(3600);
    spec.setValidLifetimeSeconds(7200);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    spec.setObtainedAt(now.toString());
    spec.setRenewedAt(now.toString());
    spec.setExpiresAt(now.plus(Duration.ofHours(2)).toString());
    spec.setDhcpState(DhcpState.Bound);
    return lease;
  }

  /** The agent's JSON events on stdout, among its log lines. */
  private static List<JsonNode> events(LabProcess process) {
    process.requireAlive();
    return process.logText().lines().filter(line -> line.startsWith("{")).map(ImagesIT::readJson).toList();
  }

  private static long residentKib(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
        .filter(line -> line.startsWith("VmRSS:"))
        .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
        .findFirst().orElseThrow();
  }

  private static List<String> strings(JsonNode array) {
    return JSON.convertValue(array, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
  }

  private static JsonNode readJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }

  private static int status(HttpClient http, int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
