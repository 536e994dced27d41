package io.kubepd.operator.it;

import static io.kubepd.operator.it.Cluster.awaitPhase;
import static io.kubepd.operator.it.Cluster.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.testkit.kube.KubeApiServerExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shaded jar as it ships: command line flags, leader Lease, probes, metrics, SIGTERM. */
class OperatorJarIT {
  @RegisterExtension
  static final KubeApiServerExtension API = new KubeApiServerExtension();

  private static final Path JAR = Path.of("target/kubepd-operator.jar");

  @Test
  void theJarRunsTheOperator() throws Exception {
    assertThat(JAR).as("built by mvn package").exists();
    KubernetesClient client = API.client();
    Cluster.installCrds(client);
    int metricsPort = freePort();
    int healthPort = freePort();
    Path log = Files.createTempFile("kubepd-operator-", ".log");
    Process process = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-Xmx128m", "-jar",
        JAR.toString(), "--kubeconfig=" + API.server().kubeconfig(), "--namespace=default",
        "--leader-election=true", "--leader-election-lease-name=kubepd-jar", "--lease-duration-seconds=6",
        "--identity=jar-1", "--metrics-port=" + metricsPort, "--health-port=" + healthPort,
        "--reconcile-threads=2", "--log-level=info"))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      awaitTrue(() -> status(http, healthPort, "/readyz") == 200);
      assertThat(status(http, healthPort, "/healthz")).isEqualTo(200);
      Lease leader = Cluster.awaitValue(
          () -> client.leases().inNamespace("default").withName("kubepd-jar").get(),
          l -> l != null && "jar-1".equals(l.getSpec().getHolderIdentity()));
      assertThat(leader.getSpec().getLeaseDurationSeconds()).isEqualTo(6);

      Node node = Cluster.node(client, "jar-node", Map.of());
      Cluster.createLease(client, "jar-node-eth0", node, "2001:db8:60::/56");
      assertThat(awaitPhase(client, "jar-node-eth0", LeasePhase.Ready).getStatus().getPodCIDRs())
          .containsExactly("2001:db8:60::/64");
      String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("kubepd_leases{phase=\"Ready\"} 1.0", "kubepd_leader 1.0");
      assertThat(Files.readString(log)).contains("lease=jar-node-eth0 node=jar-node prefix=2001:db8:60::/56 phase - "
          + "-> Ready");
    } finally {
      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exits on SIGTERM").isTrue();
    }
    assertThat(Files.readString(log)).doesNotContain("Exception in thread");
    Files.delete(log);
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
