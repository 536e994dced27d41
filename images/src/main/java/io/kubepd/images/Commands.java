package io.kubepd.images;

import io.kubepd.testkit.lab.ExecResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a host command to completion with a timeout, its output captured in files (never a blocked pipe). */
public final class Commands {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(1);

  private Commands() {}

  public static ExecResult run(List<String> command) {
    return run(command, DEFAULT_TIMEOUT);
  }

  public static ExecResult run(List<String> command, Duration timeout) {
    try {
      Path out = Files.createTempFile("kpd-images-", ".out");
      Path err = Files.createTempFile("kpd-images-", ".err");
      try {
        Process process = new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
              + "\nstdout: " + Files.readString(out) + "\nstderr: " + Files.readString(err));
        }
        return new ExecResult(List.copyOf(command), process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + String.join(" ", command), e);
    }
  }
}
