package io.kubepd.testkit.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion with a timeout. */
final class Exec {
  private Exec() {}

  static ExecResult run(List<String> command, Duration timeout) {
    Path out = null;
    Path err = null;
    try {
      // Files rather than pipes: no reader threads, and a chatty command can never block on a full pipe.
      out = Files.createTempFile("kpd-exec-", ".out");
      err = Files.createTempFile("kpd-exec-", ".err");
      Process process = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new LabException(String.join(" ", command) + " did not finish within " + timeout.toMillis() + " ms"
            + "\nstdout: " + Files.readString(out) + "\nstderr: " + Files.readString(err));
      }
      return new ExecResult(List.copyOf(command), process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new LabException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted while running " + String.join(" ", command), e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A leftover empty temp file is harmless; the command's result matters more.
      }
    }
  }
}
