package io.kubepd.agent.route;

import java.util.Locale;

/**
 * The kernel route type ({@code rtm_type}) as iproute2 names it. Open: a type kubepd never writes (say a
 * {@code blackhole} someone added with kubepd's protocol) is kept by name so it can still be listed and removed.
 *
 * @param name iproute2's name, e.g. {@code local}; {@code unicast} for routes ip prints without a type
 */
public record RouteKind(String name) {
  /** AnyIP: the node accepts every address of the prefix as its own. Lives in table {@code local}. */
  public static final RouteKind LOCAL = new RouteKind("local");
  /** Packets to the prefix are dropped with ICMPv6 "no route", never sent back upstream. Lives in table {@code main}. */
  public static final RouteKind UNREACHABLE = new RouteKind("unreachable");

  public RouteKind {
    // Route types are single iproute2 keywords; anything else would break a batch line.
    if (!name.matches("[a-z0-9]+")) {
      throw new IllegalArgumentException("not an iproute2 route type: '" + name + "'");
    }
  }

  /** The kind named {@code name}, one of the constants when it is known. */
  public static RouteKind of(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.equals(LOCAL.name)) {
      return LOCAL;
    }
    if (lower.equals(UNREACHABLE.name)) {
      return UNREACHABLE;
    }
    return new RouteKind(lower);
  }

  /** The table kubepd puts routes of this kind in: {@code local} for AnyIP (the kernel looks there first), else {@code main}. */
  public String table() {
    return equals(LOCAL) ? "local" : "main";
  }

  @Override
  public String toString() {
    return name;
  }
}
