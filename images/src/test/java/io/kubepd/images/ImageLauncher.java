package io.kubepd.images;

import io.kubepd.e2e.LocalCluster.Component;
import io.kubepd.e2e.LocalCluster.Launch;
import io.kubepd.e2e.LocalCluster.Launcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * Starts a LocalCluster's operator and agents from the images, as the chart's pods run them: the chart's
 * JAVA_TOOL_OPTIONS and capabilities, the agent's /tmp emptyDir, the operator as 65532, and each JVM told its
 * container's memory limit (-XX:MaxRAM), since these processes share the host's cgroup.
 */
record ImageLauncher(Path agentArchive, Path operatorArchive, Chart chart) implements Launcher {
  @Override
  public Launch launch(Component component, List<String> args, Map<String, String> environment, Path dir) {
    ImageRun run = switch (component) {
      case AGENT -> ImageRun.agentAsDeployed(agentArchive, chart.agentCapabilities())
          .withVolume(dir, dir.toString(), false)
          .withEnv("JAVA_TOOL_OPTIONS", chart.agentJavaToolOptions() + " -XX:MaxRAM=" + chart.agentMemoryLimit());
      case OPERATOR -> ImageRun.of(operatorArchive).withCaps("").withVolume(readableByAll(dir), dir.toString(), true)
          .withEnv("JAVA_TOOL_OPTIONS",
              chart.operatorJavaToolOptions() + " -XX:MaxRAM=" + chart.operatorMemoryLimit());
    };
    for (Map.Entry<String, String> variable : environment.entrySet()) {
      run = run.withEnv(variable.getKey(), variable.getValue());
    }
    return new Launch(run.withArgs(args.toArray(String[]::new)).command(), Map.of());
  }

  /** The operator runs as 65532, so it needs to pass through the lab's directory (created 0700) to its kubeconfig. */
  private static Path readableByAll(Path dir) {
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
