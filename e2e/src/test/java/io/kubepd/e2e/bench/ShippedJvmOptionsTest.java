package io.kubepd.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.e2e.LocalCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ShippedJvmOptionsTest {
  @Test
  void benchmarkRunsTheChartsAgentOptions() throws Exception {
    Path values = LocalCluster.Settings.defaults().repoRoot().resolve("helm/kubepd/values.yaml");

    assertThat(DhcpClientBench.shippedJvmOptions(values)).contains("-XX:+UseSerialGC", "-Xshare:auto")
        .allSatisfy(option -> assertThat(option).startsWith("-").doesNotContainAnyWhitespaces());
  }
}
