package io.kubepd.images;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A command line of scripts/run-image.sh: one image run from its unpacked layers, with the mounts, capabilities
 * and environment a pod spec would give it. Immutable; each {@code with} returns a new run.
 */
public record ImageRun(Path archive, List<String> options, List<String> args) {
  public static ImageRun of(Path archive) {
    return new ImageRun(archive, List.of(), List.of());
  }

  /** The agent as the chart's DaemonSet runs it: only the chart's capabilities, and /tmp as an emptyDir. */
  public static ImageRun agentAsDeployed(Path archive, List<String> capabilities) {
    return of(archive).withCaps(String.join(",", capabilities)).withTmpfs("/tmp");
  }

  public ImageRun withCaps(String caps) {
    return option("--caps", caps);
  }

  public ImageRun withTmpfs(String dir) {
    return option("--tmpfs", dir);
  }

  public ImageRun withVolume(Path source, String target, boolean readOnly) {
    return option("--volume", source + ":" + target + (readOnly ? ":ro" : ""));
  }

  public ImageRun withEnv(String name, String value) {
    return option("--env", name + "=" + value);
  }

  public ImageRun withEntrypoint(String path) {
    return option("--entrypoint", path);
  }

  public ImageRun withArgs(String... arguments) {
    return new ImageRun(archive, options, List.of(arguments));
  }

  /** The full command: run-image.sh, its options, the archive, the arguments. */
  public List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(Images.RUN_IMAGE.toString());
    command.addAll(options);
    command.add(archive.toString());
    command.addAll(args);
    return command;
  }

  public String[] commandArray() {
    return command().toArray(String[]::new);
  }

  private ImageRun option(String name, String value) {
    List<String> more = new ArrayList<>(options);
    more.add(name);
    more.add(value);
    return new ImageRun(archive, List.copyOf(more), args);
  }
}
