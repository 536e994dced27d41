package io.kubepd.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OperatorMainTest {

  @Test
  void acceptsTheFlagsTheChartAndTheE2eHarnessPass() {
    CommandLine.ParseResult parsed = new CommandLine(new OperatorMain()).parseArgs(
        "--namespace=kubepd-system", "--leader-election=true", "--leader-election-lease-name=kubepd-operator",
        "--lease-duration-seconds=15", "--metrics-port=8080", "--health-port=8081", "--reconcile-threads=8",
        "--log-level=info");
    assertThat(parsed.<String>matchedOptionValue("--namespace", null)).isEqualTo("kubepd-system");
    assertThat(parsed.<Boolean>matchedOptionValue("--leader-election", false)).isTrue();
    assertThat(parsed.<Integer>matchedOptionValue("--reconcile-threads", 0)).isEqualTo(8);
    assertThat(parsed.<Long>matchedOptionValue("--lease-duration-seconds", 0L)).isEqualTo(15L);

    CommandLine.ParseResult bare = new CommandLine(new OperatorMain()).parseArgs("--leader-election");
    assertThat(bare.<Boolean>matchedOptionValue("--leader-election", false)).isTrue();
    CommandLine.ParseResult off = new CommandLine(new OperatorMain()).parseArgs("--leader-election=false");
    assertThat(off.<Boolean>matchedOptionValue("--leader-election", true)).isFalse();
  }

  @Test
  void helpListsEveryOption() {
    StringWriter out = new StringWriter();
    int code = new CommandLine(new OperatorMain()).setOut(new PrintWriter(out)).execute("--help");
    assertThat(code).isZero();
    assertThat(out.toString()).contains("--kubeconfig", "--leader-election", "--namespace",
        "--leader-election-lease-name", "--lease-duration-seconds", "--identity", "--event-namespace",
        "--metrics-port", "--health-port", "--reconcile-threads", "--calico-recheck-seconds",
        "--informer-list-limit", "--events-per-second", "--log-level");
  }

  @Test
  void settingsRefuseNonsense() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OperatorSettings.defaults("x").withReconcileThreads(0))
        .hasMessage("reconcileThreads must be at least 1, not 0");
  }
}
