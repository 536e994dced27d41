package io.kubepd.e2e.bench;

import io.kubepd.testkit.lab.Ipv6Prefix;
import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * Writes a DHCPv6 message as annotated hex, one field per line with a comment naming it, in the format of
 * dhcp-agent's {@code AnnotatedHex} ({@code #} starts a comment, whitespace is ignored). It knows just enough of
 * RFC 8415 to label a prefix-delegation exchange and leaves other options as raw bytes. It is independent of the
 * agent's codec on purpose: the codec's golden-byte tests read what it writes.
 */
final class Dhcp6Annotator {
  private static final int COMMENT_COLUMN = 56;
  private static final int BYTES_PER_LINE = 16;
  private static final long INFINITY = 0xffff_ffffL;
  private static final Instant DUID_EPOCH = Instant.parse("2000-01-01T00:00:00Z");
  private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
  private static final Map<Integer, String> MESSAGE_TYPES = Map.of(1, "SOLICIT", 2, "ADVERTISE", 3, "REQUEST",
      4, "CONFIRM", 5, "RENEW", 6, "REBIND", 7, "REPLY", 8, "RELEASE", 9, "DECLINE", 10, "RECONFIGURE");
  private static final Map<Integer, String> OPTIONS = Map.ofEntries(Map.entry(1, "CLIENTID"),
      Map.entry(2, "SERVERID"), Map.entry(3, "IA_NA"), Map.entry(5, "IAADDR"), Map.entry(6, "ORO"),
      Map.entry(7, "PREFERENCE"), Map.entry(8, "ELAPSED_TIME"), Map.entry(11, "AUTH"), Map.entry(12, "UNICAST"),
      Map.entry(13, "STATUS_CODE"), Map.entry(14, "RAPID_COMMIT"), Map.entry(20, "RECONF_ACCEPT"),
      Map.entry(23, "DNS_SERVERS"), Map.entry(24, "DOMAIN_LIST"), Map.entry(25, "IA_PD"), Map.entry(26, "IAPREFIX"),
      Map.entry(67, "PD_EXCLUDE"), Map.entry(82, "SOL_MAX_RT"));
  private static final Map<Integer, String> STATUS_CODES = Map.of(0, "Success", 1, "UnspecFail", 2, "NoAddrsAvail",
      3, "NoBinding", 4, "NotOnLink", 5, "UseMulticast", 6, "NoPrefixAvail");
  private static final Map<Integer, String> DUID_TYPES = Map.of(1, "DUID-LLT", 2, "DUID-EN", 3, "DUID-LL",
      4, "DUID-UUID");

  private final byte[] bytes;
  private final StringBuilder out = new StringBuilder();
  private int at;

  private Dhcp6Annotator(byte[] bytes) {
    this.bytes = bytes;
  }

  /** {@code message} as annotated hex lines, each ending in a newline. */
  static String annotate(byte[] message) {
    Dhcp6Annotator annotator = new Dhcp6Annotator(message);
    annotator.field(0, 1, "msg-type " + name(MESSAGE_TYPES, message[0] & 0xff));
    annotator.field(0, 3, String.format("transaction-id 0x%06x", annotator.number(1, 3)));
    annotator.options(0, message.length);
    return annotator.out.toString();
  }

  private void options(int depth, int end) {
    while (at < end) {
      if (end - at < 4 || at + 4 + number(at + 2, 2) > end) {
        field(depth, end - at, "malformed: option runs past its container");
        return;
      }
      int code = (int) number(at, 2);
      int length = (int) number(at + 2, 2);
      field(depth, 4, name(OPTIONS, code) + ", option-len " + length);
      option(code, depth + 1, at + length);
    }
  }

  private void option(int code, int depth, int end) {
    switch (OPTIONS.getOrDefault(code, "")) {
      case "CLIENTID", "SERVERID" -> duid(depth, end);
      case "IA_PD" -> {
        field(depth, 4, "IAID " + number(at, 4));
        field(depth, 4, "T1 " + seconds(number(at, 4)));
        field(depth, 4, "T2 " + seconds(number(at, 4)));
        options(depth, end);
      }
      case "IAPREFIX" -> {
        field(depth, 4, "preferred-lifetime " + seconds(number(at, 4)));
        field(depth, 4, "valid-lifetime " + seconds(number(at, 4)));
        field(depth, 1, "prefix-length " + number(at, 1));
        field(depth, 16, "IPv6-prefix " + ipv6(at));
        options(depth, end);
      }
      case "STATUS_CODE" -> {
        field(depth, 2, "status-code " + number(at, 2) + " " + name(STATUS_CODES, (int) number(at, 2)));
        while (at < end) {
          int chunk = Math.min(BYTES_PER_LINE, end - at);
          field(depth, chunk, "\"" + new String(bytes, at, chunk, StandardCharsets.UTF_8) + "\"");
        }
      }
      case "ORO" -> {
        while (end - at >= 2) {
          field(depth, 2, "requested " + name(OPTIONS, (int) number(at, 2)));
        }
      }
      case "ELAPSED_TIME" -> field(depth, end - at, "elapsed-time " + number(at, end - at) + " cs");
      case "PREFERENCE" -> field(depth, end - at, "pref-value " + number(at, end - at));
      case "SOL_MAX_RT" -> field(depth, end - at, "SOL_MAX_RT " + seconds(number(at, end - at)));
      case "PD_EXCLUDE" -> {
        field(depth, 1, "prefix-len " + number(at, 1));
        field(depth, end - at, "IPv6 subnet ID (RFC 6603)");
      }
      default -> {
        // RAPID_COMMIT and RECONF_ACCEPT have no data; anything else stays raw.
      }
    }
    if (at < end) {
      field(depth, end - at, "option data");
    }
  }

  private void duid(int depth, int end) {
    int type = (int) number(at, 2);
    field(depth, 2, name(DUID_TYPES, type));
    if (type == 1 || type == 3) {
      field(depth, 2, "hardware type " + number(at, 2));
      if (type == 1) {
        long time = number(at, 4);
        field(depth, 4, "time " + time + " s since 2000 = " + DUID_EPOCH.plusSeconds(time));
      }
      field(depth, end - at, "link-layer address " + HexFormat.ofDelimiter(":").formatHex(bytes, at, end));
    } else if (type == 2) {
      field(depth, 4, "enterprise-number " + number(at, 4));
    }
  }

  /** Writes the next {@code length} bytes, 16 to a line, the comment on the first. */
  private void field(int depth, int length, String comment) {
    String indent = "  ".repeat(depth);
    for (int line = 0; line == 0 || line < length; line += BYTES_PER_LINE) {
      String hex = indent + HEX.formatHex(bytes, at + line, at + Math.min(length, line + BYTES_PER_LINE));
      out.append(hex);
      if (line == 0) {
        out.append(" ".repeat(Math.max(1, COMMENT_COLUMN - hex.length()))).append("# ").append(indent).append(comment);
      }
      out.append('\n');
    }
    at += length;
  }

  private long number(int offset, int length) {
    long value = 0;
    for (int i = offset; i < offset + length; i++) {
      value = value << 8 | (bytes[i] & 0xff);
    }
    return value;
  }

  private String ipv6(int offset) {
    try {
      return Ipv6Prefix.format(Inet6Address.getByAddress(null, Arrays.copyOfRange(bytes, offset, offset + 16), -1));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always an IPv6 address", e);
    }
  }

  private static String seconds(long value) {
    return value == INFINITY ? "infinity" : value + " s";
  }

  private static String name(Map<Integer, String> names, int code) {
    return names.getOrDefault(code, "unknown " + code);
  }
}
