package io.kubepd.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CrdChartCopyTest {

  @Test
  void chartCarriesExactlyTheGeneratedCrds() throws IOException {
    var generated = GeneratedCrds.files(GeneratedCrds.GENERATED);
    assertThat(generated).extracting(p -> p.getFileName().toString())
        .containsExactly("delegationpolicies.kubepd.io-v1.yml", "prefixleases.kubepd.io-v1.yml");
    assertThat(GeneratedCrds.files(GeneratedCrds.CHART)).extracting(p -> p.getFileName().toString())
        .as("helm/kubepd/crds holds the generated CRDs and nothing else")
        .containsExactlyElementsOf(generated.stream().map(p -> p.getFileName().toString()).toList());
    for (Path file : generated) {
      Path copy = GeneratedCrds.CHART.resolve(file.getFileName());
      assertThat(Files.readString(copy))
          .as("%s differs from the CRD generated from the Java classes: run scripts/update-crds.sh", copy)
          .isEqualTo(Files.readString(file));
    }
  }
}
