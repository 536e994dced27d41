package io.kubepd.agent.route;

/** One change to the kernel's routes, expressed as an {@code ip route} command. */
public record RouteChange(Operation operation, KernelRoute route) {

  /** What to do with {@link #route}. */
  public enum Operation {
    /** Create; fails when any route (ours or not) holds the slot, so a foreign route is never overwritten. */
    ADD("add"),
    /** Overwrite a route of ours in the same slot atomically: the prefix is never without a route. */
    REPLACE("replace"),
    /** Delete; the protocol is part of the selector, so the kernel refuses to delete a route that is not ours. */
    DELETE("del");

    private final String verb;

    Operation(String verb) {
      this.verb = verb;
    }
  }

  public static RouteChange add(KernelRoute route) {
    return new RouteChange(Operation.ADD, route);
  }

  public static RouteChange replace(KernelRoute route) {
    return new RouteChange(Operation.REPLACE, route);
  }

  public static RouteChange delete(KernelRoute route) {
    return new RouteChange(Operation.DELETE, route);
  }

  /** The line for {@code ip -6 -batch -}, e.g. {@code route add unreachable 2001:db8::/56 dev lo table main proto 249 metric 2048}. */
  public String batchLine() {
    return "route " + operation.verb + " " + route.arguments();
  }

  @Override
  public String toString() {
    return operation.verb + " " + route;
  }
}
