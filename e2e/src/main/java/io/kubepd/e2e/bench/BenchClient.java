package io.kubepd.e2e.bench;

import io.kubepd.testkit.lab.LabNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A DHCPv6 prefix-delegation client under benchmark: how one fresh instance starts on a lab node. */
interface BenchClient {
  /** Short name for tables, e.g. {@code dhcpcd}. */
  String name();

  /**
   * The command of a fresh instance on {@code node}'s uplink: every file it keeps lives in the empty {@code dir}, it
   * offers Rapid Commit, skips the initial random delay where it can, and runs {@code hook} on lease events.
   */
  List<String> command(LabNode node, Path dir, EventHook hook);

  /** The {@code /proc/PID/comm} of its processes, so that all processes of a multi-process client are counted. */
  String processName();

  /**
   * When the client itself reported the prefix (epoch nanoseconds), if it has a report channel of its own other than
   * the hook; read from its output in {@code log}.
   */
  default Optional<Long> ownBoundReport(String log) {
    return Optional.empty();
  }

  /** Its configuration in one line, for the report. */
  String describe();
}
