package io.kubepd.testkit.lab;

import java.util.Map;
import java.util.Optional;

/** One call of dhclient's script: the {@code reason} (PREINIT6, BOUND6, RENEW6, ...) and the environment it got. */
public record DhclientEvent(String reason, Map<String, String> environment) {
  /** The delegated prefix this event brings ({@code new_ip6_prefix}), if any. */
  public Optional<Ipv6Prefix> newPrefix() {
    return Optional.ofNullable(environment.get("new_ip6_prefix")).filter(p -> !p.isBlank()).map(Ipv6Prefix::parse);
  }
}
