package io.kubepd.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubepd.testkit.lab.LabNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** kubepd's agent in standalone mode ({@code docs/dhcp-agent-standalone.md}) with the given JVM options. */
record KubepdClient(String name, Path jar, List<String> jvmOptions) implements BenchClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  KubepdClient {
    jvmOptions = List.copyOf(jvmOptions);
  }

  @Override
  public List<String> command(LabNode node, Path dir, EventHook hook) {
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString(), "standalone", "--interface", node.interfaceName(),
        "--state-dir", dir.resolve("state").toString(), "--rapid-commit", "--no-initial-delay",
        "--on-change", hook.script().toString()));
    return command;
  }

  @Override
  public String processName() {
    return "java";
  }

  /** The {@code time} of the first {@code bound} JSON line: taken when the event happened, printed right after. */
  @Override
  public Optional<Long> ownBoundReport(String log) {
    for (String line : log.split("\n")) {
      if (line.startsWith("{") && line.contains("\"event\":\"bound\"")) {
        try {
          JsonNode event = JSON.readTree(line);
          Instant time = Instant.parse(event.path("time").asText());
          return Optional.of(time.getEpochSecond() * 1_000_000_000L + time.getNano());
        } catch (IOException | RuntimeException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** Same client, other JVM options. */
  KubepdClient withJvmOptions(String newName, List<String> options) {
    return new KubepdClient(newName, jar, options);
  }

  @Override
  public String describe() {
    return "`java " + String.join(" ", jvmOptions) + " -jar kubepd-dhcp-agent.jar standalone --interface IF "
        + "--state-dir DIR --rapid-commit --no-initial-delay --on-change HOOK`";
  }
}
