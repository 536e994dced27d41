package io.kubepd.testkit.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * ISC {@code dhclient -6 -P} on a lab node: a known-good prefix-delegation client to prove the lab and to compare
 * kubepd against. Its lease file, DUID, PID file and an event log written by its script stay in its own directory;
 * the script records each event and changes nothing on the node.
 */
public final class DhclientPd implements AutoCloseable {
  private static final Set<String> PREFIX_REASONS = Set.of("BOUND6", "RENEW6", "REBIND6", "REBOOT6");
  private static final String RECORD_END = "--";

  private final LabNode node;
  private final Path dir;
  private final Path events;
  private final List<String> configLines;
  private LabProcess process;

  DhclientPd(NetnsLab lab, LabNode node, List<String> configLines) {
    this.node = node;
    this.configLines = List.copyOf(configLines);
    this.dir = lab.newDir("dhclient-n" + node.index());
    this.events = dir.resolve("events");
  }

  /** Starts soliciting; dhclient retries until stopped, so a deadline belongs to {@link #awaitPrefix}. */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("dhclient on " + node.netns() + " is already running");
    }
    try {
      Path script = dir.resolve("record-event.sh");
      Files.writeString(script, "#!/bin/sh\n{ env; echo '" + RECORD_END + "'; } >> '" + events + "'\n");
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path conf = dir.resolve("dhclient6.conf");
      // dhclient's defaults plus the caller's lines; -P alone makes it ask for one IA_PD.
      Files.writeString(conf, String.join("\n", configLines) + "\n");
      process = node.netns().spawn(dir.getFileName().toString(), Map.of(),
          LabAssumptions.binary("dhclient").toString(), "-6", "-P", "-d", "-v",
          "-cf", conf.toString(), "-lf", dir.resolve("dhclient6.leases").toString(),
          "-pf", dir.resolve("dhclient6.pid").toString(), "-sf", script.toString(), node.interfaceName());
    } catch (IOException e) {
      throw new LabException("cannot prepare dhclient in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Waits for the first event that delegates a prefix and returns that prefix. */
  public Ipv6Prefix awaitPrefix(Duration timeout) {
    return awaitEvent(timeout, "a delegated prefix",
        e -> PREFIX_REASONS.contains(e.reason()) && e.newPrefix().isPresent())
        .newPrefix().orElseThrow();
  }

  /** Waits for an event matching {@code condition}; throws with dhclient's log if it exits or the deadline passes. */
  public DhclientEvent awaitEvent(Duration timeout, String what, Predicate<DhclientEvent> condition) {
    LabProcess running = process;
    try {
      return Poll.untilPresent(timeout, "dhclient on " + node.netns() + " to report " + what, () -> {
        Optional<DhclientEvent> match = events().stream().filter(condition).findFirst();
        if (match.isEmpty()) {
          running.requireAlive();
        }
        return match;
      });
    } catch (LabException e) {
      throw new LabException(e.getMessage() + "; events so far: " + events() + "\ndhclient log:\n" + running.logText(), e);
    }
  }

  /** Every event dhclient's script has recorded so far, oldest first. */
  public List<DhclientEvent> events() {
    if (!Files.exists(events)) {
      return List.of();
    }
    String text;
    try {
      text = Files.readString(events);
    } catch (IOException e) {
      throw new LabException("cannot read " + events + ": " + e.getMessage(), e);
    }
    List<DhclientEvent> result = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.equals(RECORD_END)) {
        // Only records the script finished writing count.
        result.add(new DhclientEvent(env.getOrDefault("reason", ""), Map.copyOf(env)));
        env = new LinkedHashMap<>();
      } else {
        int eq = line.indexOf('=');
        if (eq > 0) {
          env.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    }
    return result;
  }

  /** dhclient's own lease file text. */
  public String leaseFileText() {
    try {
      return Files.readString(dir.resolve("dhclient6.leases"));
    } catch (IOException e) {
      return "";
    }
  }

  /** dhclient's own output ({@code -v}): every message it sent and received. */
  public String logText() {
    return process.logText();
  }

  public long pid() {
    return process.pid();
  }

  public LabNode node() {
    return node;
  }

  /** Stops dhclient without releasing its prefix (SIGTERM). */
  public synchronized void stop() {
    if (process != null) {
      process.stop();
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "dhclient on " + node.netns() + " in " + dir;
  }
}
