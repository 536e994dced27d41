package io.kubepd.agent.route;

import java.util.List;
import java.util.Map;

/** The node's IPv6 routes of kubepd's protocol ({@link KernelRoute#PROTOCOL}): the only routes the agent reads or writes. */
public interface RouteTable {

  /** Every route of all tables carrying kubepd's protocol. */
  List<KernelRoute> owned();

  /**
   * Applies {@code changes} in order; one failing change does not stop the ones after it.
   *
   * @return the changes that failed, in order, each with a message saying why and what to do; empty when all
   *     succeeded. A change whose failure leaves the planned state in place (deleting a route that is already gone)
   *     is not a failure.
   */
  Map<RouteChange, String> apply(List<RouteChange> changes);
}
