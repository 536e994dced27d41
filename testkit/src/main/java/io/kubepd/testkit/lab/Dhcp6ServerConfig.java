package io.kubepd.testkit.lab;

import java.util.List;

/**
 * What a lab DHCPv6 server serves: the on-link subnet of the router's interface, one prefix-delegation pool,
 * lease timers, whether Rapid Commit (RFC 8415 section 18.3.1) is allowed, and the DNS servers and search domains
 * it hands out (RFC 3646; none by default).
 */
public record Dhcp6ServerConfig(
    String interfaceName, Ipv6Prefix subnet, PdPool pool, Dhcp6Timers timers, boolean rapidCommit,
    List<String> dnsServers, List<String> domainSearch) {

  public Dhcp6ServerConfig {
    dnsServers = List.copyOf(dnsServers);
    domainSearch = List.copyOf(domainSearch);
  }

  /** The lab's router link with {@code pool}, {@link Dhcp6Timers#SHORT} timers, no Rapid Commit and no DNS. */
  public static Dhcp6ServerConfig forLab(NetnsLab lab, PdPool pool) {
    return new Dhcp6ServerConfig(lab.routerInterface(), lab.linkPrefix(), pool, Dhcp6Timers.SHORT, false, List.of(),
        List.of());
  }

  public Dhcp6ServerConfig withPool(PdPool newPool) {
    return new Dhcp6ServerConfig(interfaceName, subnet, newPool, timers, rapidCommit, dnsServers, domainSearch);
  }

  public Dhcp6ServerConfig withTimers(Dhcp6Timers newTimers) {
    return new Dhcp6ServerConfig(interfaceName, subnet, pool, newTimers, rapidCommit, dnsServers, domainSearch);
  }

  public Dhcp6ServerConfig withRapidCommit(boolean enabled) {
    return new Dhcp6ServerConfig(interfaceName, subnet, pool, timers, enabled, dnsServers, domainSearch);
  }

  /** Hands out these resolvers (IPv6 addresses) and search domains. */
  public Dhcp6ServerConfig withDns(List<String> servers, List<String> searchDomains) {
    return new Dhcp6ServerConfig(interfaceName, subnet, pool, timers, rapidCommit, servers, searchDomains);
  }
}
