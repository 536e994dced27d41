package io.kubepd.operator.publish;

import io.kubepd.crd.v1alpha1.PublishTargets;
import io.kubepd.operator.allocation.Ipv6Prefix;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a node should show: the allocation of its primary lease (its oldest Ready lease), in the places its policy
 * names. Empty {@code primary} means no lease of the node is Ready, so nothing is published.
 */
public record NodePublication(String nodeName, Optional<Primary> primary, PublishTargets targets) {

  /** The lease whose pod CIDR the node publishes. */
  public record Primary(
      String lease, Ipv6Prefix delegatedPrefix, Ipv6Prefix podCidr, List<Ipv6Prefix> drainingPodCidrs) {
    public Primary {
      Objects.requireNonNull(lease, "lease");
      Objects.requireNonNull(delegatedPrefix, "delegatedPrefix");
      Objects.requireNonNull(podCidr, "podCidr");
      drainingPodCidrs = List.copyOf(drainingPodCidrs);
    }
  }

  public NodePublication {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(targets, "targets");
  }

  /** Whether any place to publish is switched on. */
  public boolean anyTarget() {
    return targets.isNodeAnnotations() || targets.isKubeRouterAnnotation() || targets.isNodePodCIDRs()
        || targets.isCalicoIPPool();
  }
}
