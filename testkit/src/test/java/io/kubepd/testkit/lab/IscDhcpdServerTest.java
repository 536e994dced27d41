package io.kubepd.testkit.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

class IscDhcpdServerTest {
  @Test
  void rendersPoolAsPrefix6RangeAndTimers() {
    Dhcp6ServerConfig config = new Dhcp6ServerConfig("br0", Ipv6Prefix.parse("2001:db8:ffff::/64"),
        PdPool.of("2001:db8:100::/48", 60), Dhcp6Timers.ofSeconds(5, 8, 10, 20), true, List.of(), List.of());

    assertThat(IscDhcpdServer.render(config))
        .contains("subnet6 2001:db8:ffff::/64 {\n  prefix6 2001:db8:100:: 2001:db8:100:fff0:: /60;\n}")
        .contains("option dhcp-renewal-time 5;", "option dhcp-rebinding-time 8;", "preferred-lifetime 10;",
            "default-lease-time 20;", "max-lease-time 20;", "option dhcp6.rapid-commit;");
    assertThat(IscDhcpdServer.render(config.withRapidCommit(false))).doesNotContain("rapid-commit");
    assertThat(IscDhcpdServer.render(config)).doesNotContain("name-servers", "domain-search");
  }

  @Test
  void rendersDnsServersAndSearchDomains() {
    Dhcp6ServerConfig config = new Dhcp6ServerConfig("br0", Ipv6Prefix.parse("2001:db8:ffff::/64"),
        PdPool.of("2001:db8:100::/48", 60), Dhcp6Timers.SHORT, false, List.of(), List.of())
        .withDns(List.of("2001:db8:ffff::53", "2001:db8:ffff::35"), List.of("example.net", "lab.example.net"));

    assertThat(IscDhcpdServer.render(config))
        .contains("option dhcp6.name-servers 2001:db8:ffff::53, 2001:db8:ffff::35;\n")
        .contains("option dhcp6.domain-search \"example.net\", \"lab.example.net\";\n");
  }

  @Test
  void refusesAnExcludedPrefixItCannotServe() {
    Dhcp6ServerConfig config = new Dhcp6ServerConfig("br0", Ipv6Prefix.parse("2001:db8:ffff::/64"),
        PdPool.of("2001:db8:100::/48", 56).excluding("2001:db8:100::/64"), Dhcp6Timers.SHORT, false, List.of(),
        List.of());

    assertThatIllegalArgumentException().isThrownBy(() -> IscDhcpdServer.render(config))
        .withMessageContaining("ISC dhcpd cannot exclude prefixes (RFC 6603)");
  }
}
