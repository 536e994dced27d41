package io.kubepd.testkit.kube;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real kube-apiserver with etcd (fabric8 kube-api-test), started from the binaries that
 * {@code scripts/kube-binaries.sh} builds; never downloads.
 */
public final class KubeApiServer implements AutoCloseable {
  /** Kubernetes release the tests run against; the build passes it in, the script builds it. */
  public static final String DEFAULT_VERSION = "1.34.4";

  private final String version;
  private final Path testDir;
  private final KubeAPIServer server;
  private final Path kubeconfig;
  private KubernetesClient client;

  private KubeApiServer(String version, Path testDir, Path kubeconfig) {
    this.version = version;
    this.testDir = testDir;
    this.kubeconfig = kubeconfig;
    this.server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(testDir.toString())
        .withApiServerVersion(version)
        .withOfflineMode(true)
        .withUpdateKubeConfig(false)
        .withStartupTimeout(120_000)
        .withApiServerFlag("--bind-address", "127.0.0.1")
        .withApiServerFlag("--advertise-address", "127.0.0.1")
        .build());
  }

  /** Starts a fresh API server and etcd; fails with the command to run when the binaries are missing. */
  public static KubeApiServer start() {
    String version = System.getProperty("kubepd.kubeVersion", DEFAULT_VERSION);
    Path testDir = binaryRoot();
    Path binaries = testDir.resolve("k8s").resolve(version + "-linux-amd64");
    for (String binary : List.of("kube-apiserver", "etcd", "kubectl")) {
      if (!Files.isExecutable(binaries.resolve(binary))) {
        throw new IllegalStateException(binaries.resolve(binary) + " is missing: run scripts/kube-binaries.sh "
            + "(it builds Kubernetes " + version + " from the Go module proxy), or set KUBE_API_TEST_DIR");
      }
    }
    try {
      Path kubeconfig = Files.createTempFile("kubepd-kubeconfig-", ".yaml");
      KubeApiServer apiServer = new KubeApiServer(version, testDir, kubeconfig);
      apiServer.server.start();
      Files.writeString(kubeconfig, apiServer.server.getKubeConfigYaml());
      return apiServer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where kube-api-test keeps its binaries: {@code $KUBE_API_TEST_DIR}, else {@code ~/.kubeapitest}. */
  public static Path binaryRoot() {
    String dir = System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR);
    return dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".kubeapitest");
  }

  /** A client with cluster-admin rights (the kube-api-test client certificate). */
  public synchronized KubernetesClient client() {
    if (client == null) {
      client = new KubernetesClientBuilder().withConfig(config()).build();
    }
    return client;
  }

  /** A fresh client configuration for cluster-admin, for code that builds its own client. */
  public Config config() {
    return Config.fromKubeconfig(server.getKubeConfigYaml());
  }

  /** Path of a kubeconfig file for this server, for processes (kubectl, the agent, the operator). */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** Path of the kubectl binary built for this server's version. */
  public Path kubectlBinary() {
    return testDir.resolve("k8s").resolve(version + "-linux-amd64").resolve("kubectl");
  }

  /** Runs the built kubectl against this server; returns stdout, or throws with stderr on failure. */
  public String kubectl(String... args) {
    List<String> command = new ArrayList<>();
    command.add(kubectlBinary().toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
      process.getOutputStream().close();
      var stdout = process.getInputStream().readAllBytes();
      var stderr = process.getErrorStream().readAllBytes();
      if (!process.waitFor(Duration.ofMinutes(1).toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("kubectl " + String.join(" ", args) + " timed out");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("kubectl " + String.join(" ", args) + " exited " + process.exitValue()
            + ": " + new String(stderr));
      }
      return new String(stdout);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
    }
    server.stop();
    try {
      Files.deleteIfExists(kubeconfig);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
