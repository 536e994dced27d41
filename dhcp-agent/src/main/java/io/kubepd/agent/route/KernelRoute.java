package io.kubepd.agent.route;

import java.util.Objects;

/**
 * One IPv6 route of kubepd's routing protocol, as it is (or should be) in the kernel.
 *
 * @param device the output device; {@code lo} for kubepd's kinds (the kernel reports {@code lo} for unreachable routes)
 * @param table iproute2's table name or number, e.g. {@code local} or {@code main}
 */
public record KernelRoute(RouteKind kind, Ipv6Cidr destination, String device, String table, long metric) {
  /**
   * The routing protocol number ({@code rtm_protocol}, {@code proto 249}) on every route kubepd adds. The agent lists,
   * changes and deletes only routes carrying it, so routes of the kernel, of the administrator (boot, static), of
   * DHCP/RA clients and of routing daemons are never touched. 249 is in no iproute2 {@code rt_protos} list and used by
   * none of the common daemons (bird 12, FRR 186-192, Calico 80, keepalived 18, systemd-networkd and NetworkManager
   * use boot, static, dhcp, ra).
   */
  public static final int PROTOCOL = 249;

  /**
   * The metric of every kubepd route. IPv6 keys a route by table, destination and metric, and most sources use 1024;
   * a higher metric never collides with a route someone else installs for the same prefix, and lets theirs win.
   */
  public static final long METRIC = 2048;

  /** The device AnyIP routes use: the node answers on loopback for every address of the prefix. */
  public static final String LOOPBACK = "lo";

  public KernelRoute {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(table, "table");
    // Devices and tables end up as words on an ip batch line; whitespace there would change the command.
    if (device != null && !device.matches("[^\\s/]{1,15}")) {
      throw new IllegalArgumentException("not a Linux interface name: '" + device + "'");
    }
    if (!table.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("not a routing table name: '" + table + "'");
    }
  }

  /** An AnyIP route: {@code local <destination> dev <device> table local}. */
  public static KernelRoute local(Ipv6Cidr destination, String device) {
    return new KernelRoute(RouteKind.LOCAL, destination, device, RouteKind.LOCAL.table(), METRIC);
  }

  /** {@code unreachable <destination> dev lo table main}. */
  public static KernelRoute unreachable(Ipv6Cidr destination) {
    return new KernelRoute(RouteKind.UNREACHABLE, destination, LOOPBACK, RouteKind.UNREACHABLE.table(), METRIC);
  }

  /** Table, destination and metric: what the kernel allows only one route of (no multipath for these kinds). */
  Slot slot() {
    return new Slot(table, destination, metric);
  }

  /** The {@code ip route} selector and attributes, e.g. {@code local 2001:db8:1::/64 dev lo table local proto 249 metric 2048}. */
  String arguments() {
    return kind + " " + destination + (device == null ? "" : " dev " + device) + " table " + table
        + " proto " + PROTOCOL + " metric " + metric;
  }

  @Override
  public String toString() {
    return kind + " " + destination + (device == null ? "" : " dev " + device) + " table " + table
        + " metric " + metric;
  }

  /** The kernel's identity of an IPv6 route of kubepd's kinds. */
  record Slot(String table, Ipv6Cidr destination, long metric) {}
}
