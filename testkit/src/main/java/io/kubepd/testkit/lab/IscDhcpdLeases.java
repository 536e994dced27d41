package io.kubepd.testkit.lab;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the active delegated prefixes from an ISC dhcpd v6 lease file ({@code dhcpd.leases(5)}). */
final class IscDhcpdLeases {
  private static final Pattern IA_PD = Pattern.compile("^ia-pd \"((?:[^\"\\\\]|\\\\.)*)\" \\{$");
  private static final Pattern IAPREFIX = Pattern.compile("^iaprefix ([0-9a-fA-F:]+)/(\\d+) \\{$");
  private static final Pattern STATEMENT = Pattern.compile("^([a-z-]+(?: state)?) ([^;]+);$");

  private IscDhcpdLeases() {}

  /**
   * The file is an append-only log; the last entry for a prefix wins. Only bindings in state {@code active} count.
   * The {@code ia-pd} key is the 4-byte IAID in the server's byte order (little-endian, as the file's
   * {@code authoring-byte-order} says on x86) followed by the client's DUID.
   */
  static List<DelegatedPrefixLease> parse(String text) {
    boolean littleEndian = !text.contains("authoring-byte-order big-endian");
    Map<Ipv6Prefix, DelegatedPrefixLease> byPrefix = new LinkedHashMap<>();
    byte[] iaKey = null;
    Ipv6Prefix prefix = null;
    String state = null;
    long preferred = 0;
    long valid = 0;
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      Matcher m;
      if ((m = IA_PD.matcher(line)).matches()) {
        iaKey = unescape(m.group(1));
      } else if (iaKey != null && (m = IAPREFIX.matcher(line)).matches()) {
        prefix = new Ipv6Prefix(Ipv6Prefix.parseAddress(m.group(1)), Integer.parseInt(m.group(2)));
        state = null;
        preferred = 0;
        valid = 0;
      } else if (prefix != null && (m = STATEMENT.matcher(line)).matches()) {
        switch (m.group(1)) {
          case "binding state" -> state = m.group(2);
          case "preferred-life" -> preferred = Long.parseLong(m.group(2));
          case "max-life" -> valid = Long.parseLong(m.group(2));
          default -> { }
        }
      } else if (line.equals("}")) {
        if (prefix != null) {
          byPrefix.remove(prefix);
          if ("active".equals(state) && iaKey.length > 4) {
            byPrefix.put(prefix, new DelegatedPrefixLease(prefix, duid(iaKey), iaid(iaKey, littleEndian), preferred, valid));
          }
          prefix = null;
        } else {
          iaKey = null;
        }
      }
    }
    return new ArrayList<>(byPrefix.values());
  }

  private static long iaid(byte[] key, boolean littleEndian) {
    long value = 0;
    for (int i = 0; i < 4; i++) {
      value = (value << 8) | (key[littleEndian ? 3 - i : i] & 0xff);
    }
    return value;
  }

  private static String duid(byte[] key) {
    StringBuilder out = new StringBuilder();
    for (int i = 4; i < key.length; i++) {
      out.append(i > 4 ? ":" : "").append(HexFormat.of().toHexDigits(key[i]));
    }
    return out.toString();
  }

  /** dhcpd writes non-printable bytes as three-digit octal escapes and escapes quote and backslash. */
  static byte[] unescape(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.write(c);
      } else if (isOctal(s, i + 1)) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else if (i + 1 < s.length()) {
        out.write(s.charAt(++i));
      }
    }
    return out.toByteArray();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }
}
