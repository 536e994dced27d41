package io.kubepd.testkit.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IscDhcpdLeasesTest {
  // Captured from isc-dhcpd 4.4.3-P1 (Debian 12) after dhclient -6 -P took a /56, then a later entry of the same
  // client renewing, and one expired binding of another client. The ia-pd key: IAID fc:ff:1c:61 stored
  // little-endian ("a\034\377\374"), then the DUID-LLT 00:01:00:01:32:9c:a8:0a:1a:01:fc:ff:1c:61.
  private static final String LEASES = """
      # The format of this file is documented in the dhcpd.leases(5) manual page.
      # This lease file was written by isc-dhcp-4.4.3-P1

      # authoring-byte-order entry is generated, DO NOT DELETE
      authoring-byte-order little-endian;

      server-duid "\\000\\001\\000\\0012\\234\\250\\005:U\\004P-\\222";

      ia-pd "a\\034\\377\\374\\000\\001\\000\\0012\\234\\250\\012\\032\\001\\374\\377\\034a" {
        cltt 5 2026/11/27 20:43:56;
        iaprefix 2001:db8:200:ff00::/56 {
          binding state active;
          preferred-life 30;
          max-life 40;
          ends 5 2026/11/27 20:44:36;
        }
      }

      ia-pd "\\001\\000\\000\\000\\000\\003\\000\\001\\"\\\\\\001\\002\\003\\004" {
        cltt 5 2026/11/27 20:43:57;
        iaprefix 2001:db8:200:fe00::/56 {
          binding state expired;
          preferred-life 30;
          max-life 40;
          ends 5 2026/11/27 20:44:37;
        }
      }

      ia-pd "a\\034\\377\\374\\000\\001\\000\\0012\\234\\250\\012\\032\\001\\374\\377\\034a" {
        cltt 5 2026/11/27 20:44:06;
        iaprefix 2001:db8:200:ff00::/56 {
          binding state active;
          preferred-life 300;
          max-life 400;
          ends 5 2026/11/27 20:50:46;
        }
      }
      """;

  @Test
  void readsActiveBindingsLastEntryWinning() {
    assertThat(IscDhcpdLeases.parse(LEASES)).containsExactly(new DelegatedPrefixLease(
        Ipv6Prefix.parse("2001:db8:200:ff00::/56"), "00:01:00:01:32:9c:a8:0a:1a:01:fc:ff:1c:61", 0xfcff1c61L, 300, 400));
  }

  @Test
  void unescapesOctalQuoteAndBackslash() {
    assertThat(IscDhcpdLeases.unescape("a\\034\\\"\\\\\\377")).containsExactly('a', 034, '"', '\\', 0xff);
  }

  @Test
  void emptyFileHasNoLeases() {
    assertThat(IscDhcpdLeases.parse("")).isEmpty();
  }
}
