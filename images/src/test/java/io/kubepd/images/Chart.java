package io.kubepd.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the Helm chart, rendered with its default values, asks of the images: their names, users, capabilities,
 * memory limits and JVM options.
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
    return operatorContainer().path("image").asText();
  }

  /** The capabilities the agent container adds (it drops all others), as run-image.sh names them: net_admin. */
  List<String> agentCapabilities() {
    List<String> added = new ArrayList<>();
    agentContainer().path("securityContext").path("capabilities").path("add")
        .forEach(c -> added.add(c.asText().toLowerCase(Locale.ROOT)));
    return added;
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
    return memoryLimit(agentContainer());
  }

  /** The operator container's memory limit in bytes. */
  long operatorMemoryLimit() {
    return memoryLimit(operatorContainer());
  }

  /** The JAVA_TOOL_OPTIONS the chart gives the agent. */
  String agentJavaToolOptions() {
    return javaToolOptions(agentContainer());
  }

  /** The JAVA_TOOL_OPTIONS the chart gives the operator. */
  String operatorJavaToolOptions() {
    return javaToolOptions(operatorContainer());
  }

  private JsonNode agentContainer() {
    return daemonSet.path("spec").path("template").path("spec").path("containers").path(0);
  }

  private JsonNode operatorContainer() {
    return deployment.path("spec").path("template").path("spec").path("containers").path(0);
  }

  private static String javaToolOptions(JsonNode container) {
    for (JsonNode env : container.path("env")) {
      if ("JAVA_TOOL_OPTIONS".equals(env.path("name").asText())) {
        return env.path("value").asText();
      }
    }
    throw new AssertionError("the chart sets no JAVA_TOOL_OPTIONS on " + container.path("name").asText());
  }

  private static long memoryLimit(JsonNode container) {
    String quantity = container.path("resources").path("limits").path("memory").asText();
    List<String> suffixes = List.of("Ki", "Mi", "Gi");
    for (int i = 0; i < suffixes.size(); i++) {
      if (quantity.endsWith(suffixes.get(i))) {
        return Long.parseLong(quantity.substring(0, quantity.length() - 2)) << (10 * (i + 1));
      }
    }
    return Long.parseLong(quantity);
  }

  private static JsonNode only(List<JsonNode> documents, String kind) {
    List<JsonNode> matching = documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    if (matching.size() != 1) {
      throw new AssertionError("the chart renders " + matching.size() + " " + kind + "s, expected one");
    }
    return matching.get(0);
  }
}
