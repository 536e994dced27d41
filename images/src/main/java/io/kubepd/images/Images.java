package io.kubepd.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The repository's image scripts and what they produce; builds the images once per test JVM. */
public final class Images {
  public static final Path REPO = findRepoRoot();
  public static final Path OUTPUT = REPO.resolve("target/images");
  public static final Path RUN_IMAGE = REPO.resolve("scripts/run-image.sh");
  // Cold: Debian packages downloaded and two runtimes jlinked; warm runs take about a minute.
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
  private static boolean built;

  private Images() {}

  /** Runs scripts/build-images.sh (idempotent, cached) the first time a test asks; fails with its log. */
  public static synchronized void build() {
    if (built) {
      return;
    }
    Path log = REPO.resolve("target/build-images.log");
    try {
      Files.createDirectories(log.getParent());
      Process process = new ProcessBuilder(List.of(REPO.resolve("scripts/build-images.sh").toString()))
          .directory(REPO.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      if (!process.waitFor(BUILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("build-images.sh did not finish in " + BUILD_TIMEOUT + "; log " + log + ":\n"
            + Files.readString(log));
      }
      if (process.exitValue() != 0) {
        throw new AssertionError("build-images.sh exited " + process.exitValue() + "; log " + log + ":\n"
            + Files.readString(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while building the images", e);
    }
    built = true;
  }

  /** The archive build-images.sh writes for an image title and tag, e.g. kubepd-operator-0.1.0.oci.tar. */
  public static Path archive(String title, String tag) {
    return OUTPUT.resolve(title + "-" + tag + ".oci.tar");
  }

  private static Path findRepoRoot() {
    Path dir = Path.of(System.getProperty("kubepd.repoRoot", ".")).toAbsolutePath().normalize();
    while (dir != null && !Files.isRegularFile(dir.resolve("scripts/build-images.sh"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the kubepd repository; set -Dkubepd.repoRoot");
    }
    return dir;
  }
}
