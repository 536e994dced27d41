/**
 * Route programming on the node: the routes of the operator's plan ({@code PrefixLease.status.routes}) held in the
 * kernel by a declarative {@link io.kubepd.agent.route.RouteReconciler} over a {@link io.kubepd.agent.route.RouteTable}
 * ({@link io.kubepd.agent.route.IpRouteTable}, iproute2). Every route carries protocol
 * {@value io.kubepd.agent.route.KernelRoute#PROTOCOL}, and only such routes are ever read or written.
 *
 * <p>The kinds: {@code local <prefix> dev lo} in table local (AnyIP: the node answers on every address of the
 * prefix) and {@code unreachable <delegated prefix>} in table main (packets to unassigned parts are dropped with an
 * ICMPv6 error instead of looping back to the upstream router, whose route for the prefix points at this node).
 */
package io.kubepd.agent.route;
