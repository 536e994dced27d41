package io.kubepd.operator.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Prefix arithmetic never sees a Kubernetes type (house layout rule): checked on the sources. */
class AllocationIsPureTest {

  @Test
  void allocationImportsNoKubernetesOrOperatorTypes() throws IOException {
    Path sources = Path.of("src/main/java/io/kubepd/operator/allocation");
    List<String> forbidden = List.of("import io.fabric8", "import io.javaoperatorsdk", "import io.kubepd.crd",
        "import io.kubepd.operator.reconciler", "import io.kubepd.operator.publish",
        "import io.kubepd.operator.status");
    try (Stream<Path> files = Files.list(sources)) {
      List<Path> java = files.filter(f -> f.toString().endsWith(".java")).toList();
      assertThat(java).isNotEmpty();
      for (Path file : java) {
        String text = Files.readString(file);
        for (String prefix : forbidden) {
          assertThat(text).as(file + " must not " + prefix).doesNotContain(prefix);
        }
      }
    }
  }
}
