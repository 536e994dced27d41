package io.kubepd.e2e.bench;

import io.kubepd.e2e.bench.EventHook.ClientEvent;
import io.kubepd.testkit.lab.LabException;
import io.kubepd.testkit.lab.LabNode;
import io.kubepd.testkit.lab.LabProcess;
import io.kubepd.testkit.lab.NetnsLab;
import io.kubepd.testkit.lab.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one fresh client instance on the lab node until it reports a prefix, measures it, and stops it. */
final class ClientRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ClientRunner.class);
  /** Covers dhclient's 1 s initial delay plus a 4-message exchange on a loaded machine, with room to spare. */
  private static final Duration BOUND_TIMEOUT = Duration.ofSeconds(20);
  /** Steady memory is read this long after the prefix was reported. */
  static final Duration STEADY_AFTER_REPORT = Duration.ofSeconds(2);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

  private final NetnsLab lab;
  private final LabNode node;
  private final KeaModes kea;
  private int sequence;

  ClientRunner(NetnsLab lab, LabNode node, KeaModes kea) {
    this.lab = lab;
    this.node = node;
    this.kea = kea;
  }

  RunResult run(BenchClient client, ServerMode mode, int round) {
    kea.wipeLeases();
    Path dir = lab.newDir(String.format("run%03d-%s", ++sequence, slug(client.name())));
    EventHook hook = EventHook.create(dir);
    List<String> command = client.command(node, dir, hook);
    long start = wallNanos();
    LabProcess process = node.netns().spawn(dir.getFileName().toString(), Map.of(), command.toArray(String[]::new));
    Optional<ClientEvent> bound = Optional.empty();
    Optional<Long> reported = Optional.empty();
    Optional<ProcessMemory> memory = Optional.empty();
    Optional<String> failure = Optional.empty();
    try {
      bound = Optional.of(Poll.untilPresent(BOUND_TIMEOUT, client.name() + " to report a prefix", () -> {
        Optional<ClientEvent> event = hook.bound();
        if (event.isEmpty()) {
          process.requireAlive();
        }
        return event;
      }));
      reported = Optional.of(client.ownBoundReport(process.logText()).orElse(bound.get().epochNanos()));
      // A fixed delay after the report is what "steady" means here; nothing else is awaited.
      long steadyAt = reported.get() + STEADY_AFTER_REPORT.toNanos();
      Poll.until(STEADY_AFTER_REPORT.plusSeconds(5), "the steady-state sample time", () -> wallNanos() >= steadyAt);
      process.requireAlive();
      memory = Optional.of(ProcessMemory.of(process.pid(), client.processName()));
    } catch (LabException e) {
      failure = Optional.of(e.getMessage() + "\n" + tail(process.logText()));
      LOG.warn("run {} of {} in mode {} failed: {}", sequence, client.name(), mode.label, failure.get());
    } finally {
      stop(process, client);
    }
    return new RunResult(client.name(), mode, round, start, wallNanos(), reported,
        bound.map(ClientEvent::epochNanos), memory, Optional.empty(), failure);
  }

  /**
   * SIGTERM by PID, then waits for every process of the client (dhcpcd's privilege-separated helpers exit after
   * their parent), so no run overlaps the next.
   */
  private static void stop(LabProcess process, BenchClient client) {
    List<ProcessHandle> family = ProcessHandle.of(process.pid()).stream()
        .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
        .toList();
    process.stop();
    try {
      Poll.until(EXIT_TIMEOUT, client.name() + "'s processes to exit",
          () -> family.stream().noneMatch(ProcessHandle::isAlive));
    } catch (LabException e) {
      family.stream().filter(ProcessHandle::isAlive).forEach(p -> {
        LOG.warn("{} left pid {} behind; killing it", client.name(), p.pid());
        p.destroyForcibly();
      });
    }
  }

  private static String tail(String log) {
    String[] lines = log.split("\n");
    return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 15), lines.length));
  }

  /** A name fit for a path and a shell command line: the hook's path is passed through {@code sh -c}. */
  private static String slug(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
  }

  static long wallNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
