package io.kubepd.e2e.bench;

import io.kubepd.testkit.lab.LabNode;
import io.kubepd.testkit.lab.LabProcess;
import io.kubepd.testkit.lab.Poll;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node's IPv6 route changes as the kernel announces them: {@code ip -ts -6 monitor route} in the node's namespace,
 * so the time of a route is when the kernel had it, not when someone looked.
 */
final class RouteMonitor {
  /** One netlink route message: an added or replaced route, or a deleted one, as ip prints it. */
  record RouteEvent(Instant at, boolean deleted, String route) {}

  // ip -ts prints local time with microseconds: [2026-11-27T21:37:41.673661]
  private static final Pattern LINE = Pattern.compile("^\\[(\\S+)] (Deleted )?(.*)$");
  // Announced and withdrawn once at start, to know the monitor listens; kubepd owns protocol 249 only.
  private static final String PROBE = "2001:db8:ffff:ffff::/64";
  private static final String KUBEPD_PROTOCOL = "249";

  private final LabProcess monitor;

  private RouteMonitor(LabProcess monitor) {
    this.monitor = monitor;
  }

  /** Starts monitoring {@code node} and returns once the monitor reports route changes. */
  static RouteMonitor start(LabNode node) {
    LabProcess monitor = node.netns().spawn("route-monitor-node-" + node.index(), Map.of(),
        "ip", "-ts", "-6", "monitor", "route");
    try {
      // ip subscribes a moment after it starts: the probe is announced again until the monitor reports it.
      Poll.until(Duration.ofSeconds(30), "ip monitor in node " + node.index() + " reporting routes", () -> {
        monitor.requireAlive();
        node.netns().execOk("ip", "-6", "route", "replace", "unreachable", PROBE, "proto", "static");
        return monitor.logText().contains(PROBE);
      });
    } finally {
      node.netns().exec("ip", "-6", "route", "del", "unreachable", PROBE, "proto", "static");
    }
    return new RouteMonitor(monitor);
  }

  /** When a kubepd route of {@code type} to {@code destination} first appeared at or after {@code after}. */
  Optional<Instant> firstAdded(String type, String destination, Instant after) {
    return first(false, type, destination, after);
  }

  /** When a kubepd route of {@code type} to {@code destination} was first deleted at or after {@code after}. */
  Optional<Instant> firstDeleted(String type, String destination, Instant after) {
    return first(true, type, destination, after);
  }

  private Optional<Instant> first(boolean deleted, String type, String destination, Instant after) {
    String start = type + " " + destination + " ";
    return events().stream()
        .filter(e -> e.deleted() == deleted && !e.at().isBefore(after) && e.route().startsWith(start)
            && e.route().contains(" proto " + KUBEPD_PROTOCOL + " "))
        .map(RouteEvent::at).findFirst();
  }

  List<RouteEvent> events() {
    List<RouteEvent> events = new ArrayList<>();
    for (String line : monitor.logText().split("\n")) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        events.add(new RouteEvent(LocalDateTime.parse(m.group(1)).atZone(ZoneId.systemDefault()).toInstant(),
            m.group(2) != null, m.group(3)));
      }
    }
    return events;
  }
}
