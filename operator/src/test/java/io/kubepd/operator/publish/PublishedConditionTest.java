package io.kubepd.operator.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.crd.v1alpha1.Conditions;
import io.kubepd.crd.v1alpha1.PublishTargets;
import io.kubepd.operator.allocation.Ipv6Prefix;
import io.kubepd.operator.status.ConditionSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PublishedConditionTest {
  private static final NodePublication.Primary PRIMARY = new NodePublication.Primary("n1-eth0",
      Ipv6Prefix.parse("2001:db8::/56"), Ipv6Prefix.parse("2001:db8::/64"), List.of());

  private static NodePublication publication(PublishTargets targets) {
    return new NodePublication("n1", Optional.of(PRIMARY), targets);
  }

  private static NodePublisher.Published published(NodePublisher.PodCidrs podCidrs, CalicoIpPools.Result calico,
      List<String> nodePodCidrs) {
    return new NodePublisher.Published(Optional.empty(), podCidrs, nodePodCidrs, calico);
  }

  @Test
  void thePrimaryLeaseSaysWhereItsPodCidrIs() {
    PublishTargets all = new PublishTargets();
    all.setKubeRouterAnnotation(true);
    all.setNodePodCIDRs(true);
    all.setCalicoIPPool(true);
    ConditionSet.Desired condition = PublishedCondition.forLease("n1-eth0", true, publication(all),
        published(NodePublisher.PodCidrs.PUBLISHED, CalicoIpPools.Result.SYNCED, List.of("2001:db8::/64")));
    assertThat(condition.status()).isEqualTo(Conditions.TRUE);
    assertThat(condition.message()).isEqualTo("pod CIDR 2001:db8::/64 is node n1's. It is published in annotation "
        + "kubepd.io/pod-cidr, annotation kube-router.io/pod-cidr, Node.spec.podCIDRs, Calico IPPool "
        + "kubepd-n1-2001-db8---64.");
  }

  @Test
  void otherCasesSayWhyNot() {
    PublishTargets defaults = new PublishTargets();
    NodePublisher.Published fine = published(NodePublisher.PodCidrs.OFF, CalicoIpPools.Result.SYNCED, List.of());
    assertThat(PublishedCondition.forLease("n1-eth0", false, publication(defaults), fine).reason())
        .isEqualTo(PublishedCondition.NOT_ALLOCATED);
    assertThat(PublishedCondition.forLease("n1-eth1", true, publication(defaults), fine).message())
        .isEqualTo("node n1 publishes the pod CIDR of PrefixLease n1-eth0, its oldest Ready lease");
    PublishTargets none = new PublishTargets();
    none.setNodeAnnotations(false);
    assertThat(PublishedCondition.forLease("n1-eth0", true, publication(none), fine).reason())
        .isEqualTo(PublishedCondition.DISABLED);
    PublishTargets podCidrs = new PublishTargets();
    podCidrs.setNodePodCIDRs(true);
    ConditionSet.Desired immutable = PublishedCondition.forLease("n1-eth0", true, publication(podCidrs),
        published(NodePublisher.PodCidrs.IMMUTABLE, CalicoIpPools.Result.SYNCED, List.of("2001:db8:1::/64")));
    assertThat(immutable.status()).isEqualTo(Conditions.FALSE);
    assertThat(immutable.message()).isEqualTo("Node n1 keeps spec.podCIDRs [2001:db8:1::/64]: it cannot change once "
        + "set, so it does not show pod CIDR 2001:db8::/64. Re-create the Node object, or set publish.nodePodCIDRs "
        + "to false. It is published in annotation kubepd.io/pod-cidr.");
  }

  @Test
  void poolNamesAreValidObjectNames() {
    assertThat(CalicoIpPools.poolName("node-1", Ipv6Prefix.parse("2001:db8:0:100::/64")))
        .isEqualTo("kubepd-node-1-2001-db8-0-100---64");
    String longNode = "n".repeat(253);
    String name = CalicoIpPools.poolName(longNode, Ipv6Prefix.parse("2001:db8:0:100::/64"));
    assertThat(name).hasSizeLessThanOrEqualTo(253).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")
        .endsWith("-2001-db8-0-100---64");
    assertThat(CalicoIpPools.poolName(longNode, Ipv6Prefix.parse("2001:db8:0:200::/64"))).isNotEqualTo(name);
  }
}
