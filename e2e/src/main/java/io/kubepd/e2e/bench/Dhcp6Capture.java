package io.kubepd.e2e.bench;

import io.kubepd.e2e.bench.PcapReader.Datagram;
import io.kubepd.testkit.lab.LabAssumptions;
import io.kubepd.testkit.lab.LabException;
import io.kubepd.testkit.lab.LabNode;
import io.kubepd.testkit.lab.LabProcess;
import io.kubepd.testkit.lab.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * tcpdump on a node's uplink for the whole benchmark, writing DHCPv6 traffic with nanosecond kernel timestamps, so
 * that wire times come from the packets rather than from any client's own log.
 */
final class Dhcp6Capture {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final LabProcess tcpdump;
  private final Path file;

  private Dhcp6Capture(LabProcess tcpdump, Path file) {
    this.tcpdump = tcpdump;
    this.file = file;
  }

  /** Starts capturing on {@code node}'s uplink into {@code file} and returns once tcpdump listens. */
  static Dhcp6Capture start(LabNode node, Path file) {
    Path binary = LabAssumptions.findBinary("tcpdump")
        .orElseThrow(() -> new LabException("tcpdump not found; run scripts/install-test-deps.sh as root"));
    // -U: write each packet at once; --immediate-mode: take it from the kernel at once too, so the last packets are
    // not still buffered when tcpdump is stopped; -Z root: Debian's tcpdump would otherwise drop to a user that
    // cannot write here.
    LabProcess process = node.netns().spawn("tcpdump-n" + node.index(), Map.of(), binary.toString(),
        "-i", node.interfaceName(), "-n", "-U", "--immediate-mode", "-Z", "root", "--time-stamp-precision=nano",
        "-w", file.toString(),
        "udp and (port 546 or port 547)");
    Poll.until(START_TIMEOUT, "tcpdump to listen on " + node.interfaceName(), () -> {
      process.requireAlive();
      return process.logText().contains("listening on");
    });
    return new Dhcp6Capture(process, file);
  }

  /** Stops tcpdump (it flushes on SIGTERM) and returns every DHCPv6 message it saw, oldest first. */
  List<Datagram> stop() {
    tcpdump.stop();
    try {
      return PcapReader.datagrams(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new LabException("cannot read capture " + file + ": " + e.getMessage(), e);
    }
  }
}
