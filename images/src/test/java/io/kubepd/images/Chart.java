package io.kubepd.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What the Helm chart, rendered with its default values, asks of the images: their names, users and the agent's
 * memory limit.
 */
record Chart(String appVersion, JsonNode daemonSet, JsonNode deployment) {
  private static final YAMLMapper YAML = new YAMLMapper();

  static Chart render() {
    Path chart = Images.REPO.resolve("helm/kubepd");
    String manifests = new Helm(chart).template().withName("kubepd").withNamespace("kubepd-system").call();
    try {
      String appVersion = YAML.readTree(chart.resolve("Chart.yaml").toFile()).path("appVersion").asText();
      List<JsonNode> documents;
      try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(manifests)) {
        documents = it.readAll().stream().filter(d -> d != null && d.isObject()).toList();
      }
      return new Chart(appVersion, only(documents, "DaemonSet"), only(documents, "Deployment"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse the rendered chart", e);
    }
  }

  String agentImage() {
    return agentContainer().path("image").asText();
  }

  String operatorImage() {
    return deployment.path("spec").path("template").path("spec").path("containers").path(0).path("image").asText();
  }

  /** The agent container's runAsUser. */
  String agentUid() {
    return agentContainer().path("securityContext").path("runAsUser").asText();
  }

  /** The operator pod's runAsUser:runAsGroup. */
  String operatorUser() {
    JsonNode context = deployment.path("spec").path("template").path("spec").path("securityContext");
    return context.path("runAsUser").asText() + ":" + context.path("runAsGroup").asText();
  }

  /** The agent container's memory limit in bytes. */
  long agentMemoryLimit() {
    String quantity = agentContainer().path("resources").path("limits").path("memory").asText();
    for (String suffix : List.of("Ki", "Mi", "Gi")) {
      if (quantity.endsWith(suffix)) {
        long unit = 1L << (10 * (List.of("Ki", "Mi", "Gi").indexOf(suffix) + 1));
        return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * unit;
      }
    }
    return Long.parseLong(quantity);
  }

  private JsonNode agentContainer() {
    return daemonSet.path("spec").path("template").path("spec").path("containers").path(0);
  }

  private static JsonNode only(List<JsonNode> documents, String kind) {
    List<JsonNode> matching = documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    if (matching.size() != 1) {
      throw new AssertionError("the chart renders " + matching.size() + " " + kind + "s, expected one");
    }
    return matching.get(0);
  }
}
