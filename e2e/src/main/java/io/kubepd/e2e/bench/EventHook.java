package io.kubepd.e2e.bench;

import io.kubepd.testkit.lab.LabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The script every client runs on its lease events (dhclient {@code -sf}, dhcpcd {@code script}, kubepd
 * {@code --on-change}): one line per event with the wall clock in microseconds, the reason and the delegated prefix.
 * Bash's {@code EPOCHREALTIME} stamps it without forking {@code date}.
 */
final class EventHook {
  /** What each client calls a newly delegated prefix: dhclient and dhcpcd the reason, kubepd its event. */
  private static final Set<String> BOUND_REASONS = Set.of("BOUND6", "REBOOT6", "bound");

  private final Path script;
  private final Path events;

  private EventHook(Path script, Path events) {
    this.script = script;
    this.events = events;
  }

  /** Writes the script into {@code dir}; its events go to {@code dir/events}. */
  static EventHook create(Path dir) {
    Path script = dir.resolve("hook.sh");
    Path events = dir.resolve("events");
    // dhclient names the prefix new_ip6_prefix, dhcpcd new_dhcp6_ia_pd1_prefix1 plus a length, kubepd KUBEPD_PREFIX.
    String text = """
        #!/bin/bash
        stamp=${EPOCHREALTIME//[.,]/}
        dhcpcd_prefix=${new_dhcp6_ia_pd1_prefix1:+$new_dhcp6_ia_pd1_prefix1/$new_dhcp6_ia_pd1_prefix1_length}
        printf '%s %s %s\\n' "$stamp" "${reason:-$KUBEPD_EVENT}" \\
          "${new_ip6_prefix:-${KUBEPD_PREFIX:-$dhcpcd_prefix}}" >> 'EVENTS'
        """.replace("EVENTS", events.toString());
    try {
      Files.writeString(script, text);
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new LabException("cannot write hook script " + script + ": " + e.getMessage(), e);
    }
    return new EventHook(script, events);
  }

  Path script() {
    return script;
  }

  /** The first event that delegated a prefix, once the client has run its hook for it. */
  Optional<ClientEvent> bound() {
    return events().stream().filter(e -> BOUND_REASONS.contains(e.reason()) && !e.prefix().isEmpty()).findFirst();
  }

  /** Every complete event line so far. */
  List<ClientEvent> events() {
    if (!Files.exists(events)) {
      return List.of();
    }
    String text;
    try {
      text = Files.readString(events);
    } catch (IOException e) {
      throw new LabException("cannot read " + events + ": " + e.getMessage(), e);
    }
    List<ClientEvent> result = new ArrayList<>();
    // A line without its newline is still being written.
    int end = text.lastIndexOf('\n');
    for (String line : end < 0 ? new String[0] : text.substring(0, end).split("\n")) {
      String[] fields = line.split(" ", 3);
      if (fields.length >= 2) {
        result.add(new ClientEvent(Long.parseLong(fields[0]) * 1000, fields[1], fields.length > 2 ? fields[2] : ""));
      }
    }
    return result;
  }

  /** One hook call: when (epoch nanoseconds, microsecond precision), why, and the prefix it carried if any. */
  record ClientEvent(long epochNanos, String reason, String prefix) {}
}
