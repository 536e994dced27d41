package io.kubepd.e2e.bench;

import java.time.Duration;
import java.time.Instant;

/**
 * One node's part of one renumbering: the instants between the DHCPv6 Reply with the new prefix and the new route
 * in the node's kernel. The two log instants come from the components' own logs (millisecond resolution) and are
 * null when the line was not found; the others are the measured points.
 *
 * @param agentEvent the client event the agent logged for the new prefix, normally CHANGED
 * @param reply the Reply delegating {@code toPrefix} reached the node (tcpdump)
 * @param agentLogged the agent logged the new prefix
 * @param specSeen a watch delivered the PrefixLease with spec.delegatedPrefix == {@code toPrefix}
 * @param operatorLogged the operator logged the renumbering (decided, before it patches the status)
 * @param statusSeen a watch delivered the PrefixLease with status.delegatedPrefix == {@code toPrefix}, phase Ready
 * @param kernelRoute the kernel announced {@code local podCidr} with kubepd's protocol (ip monitor)
 * @param oldRouteDeleted the old pod CIDR's local route left the kernel before the new one came, else null
 */
record Sample(int renumbering, int node, String fromPrefix, String toPrefix, String podCidr, String agentEvent,
    Instant reply, Instant agentLogged, Instant specSeen, Instant operatorLogged, Instant statusSeen,
    Instant kernelRoute, Instant oldRouteDeleted) {

  /** (a) Reply to the new local route in the node's kernel. */
  Duration toKernelRoute() {
    return Duration.between(reply, kernelRoute);
  }

  /** (b) Reply to the new spec seen through a watch. */
  Duration toSpec() {
    return Duration.between(reply, specSeen);
  }

  /** How long the node had no local route for a pod CIDR: zero when the new route came before the old one left. */
  Duration withoutPodRoute() {
    return oldRouteDeleted == null ? Duration.ZERO : Duration.between(oldRouteDeleted, kernelRoute);
  }

  /** (c) Reply to the operator's Ready status for the new prefix seen through a watch. */
  Duration toStatus() {
    return Duration.between(reply, statusSeen);
  }
}
