package io.kubepd.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the build writes the CRD YAML, where the chart and the pinned copies live, and how to read them. */
final class GeneratedCrds {
  static final Path GENERATED = Path.of("target", "classes", "META-INF", "fabric8");
  static final Path CHART = Path.of("..", "helm", "kubepd", "crds");
  static final Path PINNED = Path.of("src", "test", "resources", "pinned");

  private GeneratedCrds() {}

  static List<Path> files(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CustomResourceDefinition read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
