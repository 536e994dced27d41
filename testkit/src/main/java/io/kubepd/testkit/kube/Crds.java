package io.kubepd.testkit.kube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Installs CustomResourceDefinitions on a test API server and waits until they are served. */
public final class Crds {
  private static final long ESTABLISHED_SECONDS = 30;

  private Crds() {}

  /** Applies {@code crd} (server-side) and waits until it is Established. */
  public static void install(KubernetesClient client, CustomResourceDefinition crd) {
    client.resource(crd).serverSideApply();
    awaitEstablished(client, crd.getMetadata().getName());
  }

  /** Installs the CRD in {@code in} (YAML or JSON). */
  public static void install(KubernetesClient client, InputStream in) {
    install(client, client.apiextensions().v1().customResourceDefinitions().load(in).item());
  }

  /** Installs every CRD file in {@code directory}, e.g. the chart's {@code helm/kubepd/crds}, in name order. */
  public static void installAll(KubernetesClient client, Path directory) {
    try (var files = Files.list(directory)) {
      for (Path file : files.sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          install(client, in);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CRDs in " + directory, e);
    }
  }

  /** Waits until the CRD named {@code name} has the condition Established=True. */
  public static void awaitEstablished(KubernetesClient client, String name) {
    client.apiextensions().v1().customResourceDefinitions().withName(name).waitUntilCondition(
        c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
            && c.getStatus().getConditions().stream()
                .anyMatch(s -> "Established".equals(s.getType()) && "True".equals(s.getStatus())),
        ESTABLISHED_SECONDS, TimeUnit.SECONDS);
  }
}
