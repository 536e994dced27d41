package io.kubepd.operator.publish;

import io.kubepd.crd.v1alpha1.Conditions;
import io.kubepd.operator.status.ConditionSet;
import java.util.ArrayList;
import java.util.List;

/** The PodCIDRPublished condition of one lease: where its pod CIDR shows, or why it does not. */
public final class PublishedCondition {
  /** Condition reasons. */
  public static final String PUBLISHED = "Published";
  public static final String NOT_ALLOCATED = "NotAllocated";
  public static final String ANOTHER_LEASE = "AnotherLeaseIsPublished";
  public static final String DISABLED = "PublishingDisabled";
  public static final String NODE_POD_CIDRS_IMMUTABLE = "NodePodCIDRsImmutable";
  public static final String CALICO_MISSING = "CalicoIPPoolCRDMissing";

  private PublishedCondition() {}

  /** The condition for {@code lease}, which is Ready or not, after {@code published} was done for its node. */
  public static ConditionSet.Desired forLease(
      String lease, boolean ready, NodePublication publication, NodePublisher.Published published) {
    String node = publication.nodeName();
    if (!ready) {
      return condition(Conditions.FALSE, NOT_ALLOCATED, "nothing to publish while the lease is not Ready");
    }
    NodePublication.Primary primary = publication.primary().orElseThrow(
        () -> new IllegalStateException("a Ready lease makes its node publish"));
    if (!primary.lease().equals(lease)) {
      return condition(Conditions.FALSE, ANOTHER_LEASE, "node " + node + " publishes the pod CIDR of PrefixLease "
          + primary.lease() + ", its oldest Ready lease");
    }
    if (!publication.anyTarget()) {
      return condition(Conditions.FALSE, DISABLED,
          "the DelegationPolicy's spec.publish switches every target off; the pod CIDR is only in this status");
    }
    List<String> where = new ArrayList<>();
    if (publication.targets().isNodeAnnotations()) {
      where.add("annotation " + NodePublisher.POD_CIDR_ANNOTATION);
    }
    if (publication.targets().isKubeRouterAnnotation()) {
      where.add("annotation " + NodePublisher.KUBE_ROUTER_ANNOTATION);
    }
    if (published.podCidrs() == NodePublisher.PodCidrs.PUBLISHED) {
      where.add("Node.spec.podCIDRs");
    }
    if (publication.targets().isCalicoIPPool() && published.calico() == CalicoIpPools.Result.SYNCED) {
      where.add("Calico IPPool " + String.join(", ", CalicoIpPools.poolNames(publication)));
    }
    String shown = where.isEmpty() ? "" : " It is published in " + String.join(", ", where) + ".";
    if (published.calico() == CalicoIpPools.Result.CRD_MISSING) {
      return condition(Conditions.FALSE, CALICO_MISSING, "Calico IPPool skipped: the CRD " + CalicoIpPools.CRD_NAME
          + " is not installed. Install Calico, or set the DelegationPolicy's publish.calicoIPPool to false." + shown);
    }
    if (published.podCidrs() == NodePublisher.PodCidrs.IMMUTABLE) {
      return condition(Conditions.FALSE, NODE_POD_CIDRS_IMMUTABLE, "Node " + node + " keeps spec.podCIDRs "
          + published.nodePodCidrs() + ": it cannot change once set, so it does not show pod CIDR "
          + primary.podCidr() + ". Re-create the Node object, or set publish.nodePodCIDRs to false." + shown);
    }
    return condition(Conditions.TRUE, PUBLISHED, "pod CIDR " + primary.podCidr() + " is node " + node + "'s."
        + shown);
  }

  private static ConditionSet.Desired condition(String status, String reason, String message) {
    return new ConditionSet.Desired(Conditions.POD_CIDR_PUBLISHED, status, reason, message);
  }
}
