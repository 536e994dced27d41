package io.kubepd.testkit.lab;

/**
 * What a lab DHCPv6 server serves: the on-link subnet of the router's interface, one prefix-delegation pool,
 * lease timers and whether Rapid Commit (RFC 8415 section 18.3.1) is allowed.
 */
public record Dhcp6ServerConfig(
    String interfaceName, Ipv6Prefix subnet, PdPool pool, Dhcp6Timers timers, boolean rapidCommit) {

  /** The lab's router link with {@code pool}, {@link Dhcp6Timers#SHORT} timers and no Rapid Commit. */
  public static Dhcp6ServerConfig forLab(NetnsLab lab, PdPool pool) {
    return new Dhcp6ServerConfig(lab.routerInterface(), lab.linkPrefix(), pool, Dhcp6Timers.SHORT, false);
  }

  public Dhcp6ServerConfig withPool(PdPool newPool) {
    return new Dhcp6ServerConfig(interfaceName, subnet, newPool, timers, rapidCommit);
  }

  public Dhcp6ServerConfig withTimers(Dhcp6Timers newTimers) {
    return new Dhcp6ServerConfig(interfaceName, subnet, pool, newTimers, rapidCommit);
  }

  public Dhcp6ServerConfig withRapidCommit(boolean enabled) {
    return new Dhcp6ServerConfig(interfaceName, subnet, pool, timers, enabled);
  }
}
