package io.kubepd.testkit.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A long-running process the lab started inside a namespace; its stdout and stderr go to {@link #log()}. */
public final class LabProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LabProcess.class);
  private static final Duration GRACE = Duration.ofSeconds(5);

  private final String name;
  private final List<String> command;
  private final Process process;
  private final Path log;

  private LabProcess(String name, List<String> command, Process process, Path log) {
    this.name = name;
    this.command = command;
    this.process = process;
    this.log = log;
  }

  static LabProcess start(String name, List<String> command, Map<String, String> environment, Path log) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(environment);
      Process process = builder.start();
      LOG.debug("started {} (pid {}): {}", name, process.pid(), String.join(" ", command));
      return new LabProcess(name, List.copyOf(command), process, log);
    } catch (IOException e) {
      throw new LabException("cannot start " + name + " (" + String.join(" ", command) + "): " + e.getMessage(), e);
    }
  }

  public String name() {
    return name;
  }

  /** The PID of the program itself: {@code ip netns exec} replaces itself with it. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** Everything the process printed so far. */
  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** Throws a {@link LabException} with the log when the process has exited. */
  public void requireAlive() {
    if (!process.isAlive()) {
      throw new LabException(name + " (" + String.join(" ", command) + ") exited with " + process.exitValue()
          + "; its log " + log + ":\n" + logText());
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited within a few seconds; returns once it is gone. */
  public void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{} (pid {}) ignored SIGTERM for {}; killing it", name, process.pid(), GRACE);
        process.destroyForcibly().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    LOG.debug("stopped {} (pid {})", name, process.pid());
  }

  @Override
  public void close() {
    stop();
  }
}
