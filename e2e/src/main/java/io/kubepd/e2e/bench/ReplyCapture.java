package io.kubepd.e2e.bench;

import io.kubepd.testkit.lab.LabNode;
import io.kubepd.testkit.lab.LabProcess;
import io.kubepd.testkit.lab.Poll;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DHCPv6 Replies as they reach a node: tcpdump on the node's uplink, inside its namespace. The timestamps are the
 * kernel's capture times, so they exclude everything the agent does after the packet arrives.
 */
final class ReplyCapture {
  /** One Reply and the prefixes it delegates with a non-zero valid lifetime. */
  record Reply(Instant at, List<String> prefixes) {}

  private static final Pattern PREFIX = Pattern.compile("IA_PD-prefix (\\S+) pltime:\\d+ vltime:(\\d+)");

  private final LabProcess tcpdump;

  private ReplyCapture(LabProcess tcpdump) {
    this.tcpdump = tcpdump;
  }

  /** Starts capturing on {@code node}'s uplink and returns once tcpdump listens. */
  static ReplyCapture start(LabNode node) {
    // -tt: epoch seconds with microseconds; -v: the IA_PD options; -l: a line as soon as a packet is seen.
    LabProcess tcpdump = node.netns().spawn("tcpdump-node-" + node.index(), Map.of(), "tcpdump", "-i",
        node.interfaceName(), "-n", "-l", "-tt", "-v", "-s", "0", "udp", "dst", "port", "546");
    Poll.until(Duration.ofSeconds(10), "tcpdump listening on " + node.interfaceName(), () -> {
      tcpdump.requireAlive();
      return tcpdump.logText().contains("listening on " + node.interfaceName());
    });
    return new ReplyCapture(tcpdump);
  }

  /** The first Reply at or after {@code after} that delegates {@code prefix}. */
  Optional<Reply> firstDelegating(String prefix, Instant after) {
    return replies().stream().filter(r -> !r.at().isBefore(after) && r.prefixes().contains(prefix)).findFirst();
  }

  List<Reply> replies() {
    List<Reply> replies = new ArrayList<>();
    for (String line : tcpdump.logText().split("\n")) {
      int space = line.indexOf(' ');
      if (space < 0 || !line.contains("dhcp6 reply")) {
        continue;
      }
      List<String> prefixes = new ArrayList<>();
      Matcher m = PREFIX.matcher(line);
      while (m.find()) {
        if (Long.parseLong(m.group(2)) > 0) {
          prefixes.add(m.group(1));
        }
      }
      replies.add(new Reply(epoch(line.substring(0, space)), List.copyOf(prefixes)));
    }
    return replies;
  }

  /** {@code 1764279461.123456} as printed by {@code tcpdump -tt}. */
  static Instant epoch(String secondsDotMicros) {
    int dot = secondsDotMicros.indexOf('.');
    return Instant.ofEpochSecond(Long.parseLong(secondsDotMicros.substring(0, dot)),
        Long.parseLong(secondsDotMicros.substring(dot + 1)) * 1000);
  }
}
