package io.kubepd.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.e2e.LocalCluster;
import io.kubepd.testkit.lab.Dhcp6Timers;
import io.kubepd.testkit.lab.LabAssumptions;
import io.kubepd.testkit.lab.LabProcess;
import io.kubepd.testkit.lab.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system from the images: the chart installed on a real API server, Kea delegating prefixes, two nodes'
 * agents and the operator each run from its image (scripts/run-image.sh) as the chart's pods would run them.
 */
class ImagesE2E {
  private static final Logger log = LoggerFactory.getLogger(ImagesE2E.class);
  private static final Duration CONVERGE = Duration.ofSeconds(90);
  private static final String KUBEPD_PROTOCOL = "249";

  private static LocalCluster cluster;
  private static Chart chart;

  @BeforeAll
  static void startCluster() {
    LabAssumptions.assumeNetnsLab();
    Images.build();
    chart = Chart.render();
    ImageLauncher images = new ImageLauncher(Images.archive("kubepd-dhcp-agent", chart.appVersion()),
        Images.archive("kubepd-operator", chart.appVersion()), chart);
    cluster = LocalCluster.start(LocalCluster.Settings.defaults()
        .withTimers(Dhcp6Timers.ofSeconds(20, 32, 40, 60)).withLauncher(images));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void nodesGetPrefixesLeasesAndRoutesFromTheImagesWithinTheirMemoryLimits() throws IOException {
    PrefixLease one = awaitReady(1);
    PrefixLease two = awaitReady(2);
    assertThat(one.getSpec().getDelegatedPrefix()).isNotEqualTo(two.getSpec().getDelegatedPrefix());

    for (int node = 1; node <= 2; node++) {
      PrefixLease lease = awaitReady(node);
      String podCidr = lease.getStatus().getPodCIDRs().get(0);
      Set<String> expected = Set.of("local " + podCidr, "unreachable " + lease.getSpec().getDelegatedPrefix());
      int index = node;
      Poll.until(CONVERGE, "node-" + node + " kernel routes " + expected,
          () -> kubepdRoutes(index).containsAll(expected));
    }

    for (int node = 1; node <= 2; node++) {
      long rss = residentBytes(cluster.agent(node));
      log.info("agent node-{} from the image, in agent mode with its prefix and routes: VmRSS {} KiB", node,
          rss / 1024);
      assertThat(rss).as("agent VmRSS within the chart's memory limit").isLessThan(chart.agentMemoryLimit());
    }
    long operatorRss = residentBytes(cluster.operator());
    log.info("operator from the image, leading: VmRSS {} KiB", operatorRss / 1024);
    assertThat(operatorRss).as("operator VmRSS within the chart's memory limit")
        .isLessThan(chart.operatorMemoryLimit());
    for (LabProcess process : new LabProcess[] {cluster.agent(1), cluster.agent(2), cluster.operator()}) {
      assertThat(process.logText()).doesNotContain("Exception in thread", "NoClassDefFoundError");
    }
  }

  private static PrefixLease awaitReady(int node) {
    Poll.until(CONVERGE, "node-" + node + " lease Ready", () -> cluster.lease(node)
        .filter(l -> l.getStatus() != null && l.getStatus().getPhase() == LeasePhase.Ready).isPresent());
    return cluster.lease(node).orElseThrow();
  }

  /** The node's routes with kubepd's protocol number, as "type destination". */
  private static Set<String> kubepdRoutes(int node) {
    return cluster.lab().node(node).netns().routes().stream()
        .filter(r -> KUBEPD_PROTOCOL.equals(r.protocol()))
        .map(r -> (r.type() == null ? "unicast" : r.type()) + " " + r.destination())
        .collect(Collectors.toSet());
  }

  private static long residentBytes(LabProcess process) throws IOException {
    process.requireAlive();
    return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
        .filter(line -> line.startsWith("VmRSS:"))
        .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
        .findFirst().orElseThrow();
  }
}
