package io.kubepd.operator.it;

import static io.kubepd.operator.it.Cluster.awaitEvent;
import static io.kubepd.operator.it.Cluster.awaitLease;
import static io.kubepd.operator.it.Cluster.awaitPhase;
import static io.kubepd.operator.it.Cluster.awaitTrue;
import static io.kubepd.operator.it.Cluster.awaitValue;
import static io.kubepd.operator.it.Cluster.condition;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kubepd.crd.v1alpha1.Conditions;
import io.kubepd.crd.v1alpha1.DelegationPolicy;
import io.kubepd.crd.v1alpha1.DeprecatedPrefix;
import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.operator.KubepdOperator;
import io.kubepd.operator.publish.CalicoIpPools;
import io.kubepd.operator.publish.NodePublisher;
import io.kubepd.operator.publish.PublishedCondition;
import io.kubepd.operator.status.Timestamps;
import io.kubepd.testkit.kube.KubeApiServerExtension;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Calico IPPools per node: skipped with an Event without the CRD, then created, disabled and removed with it. */
class CalicoIT {
  @RegisterExtension
  static final KubeApiServerExtension API = new KubeApiServerExtension();

  private static final ResourceDefinitionContext IP_POOLS = new ResourceDefinitionContext.Builder()
      .withGroup("crd.projectcalico.org").withVersion("v1").withKind("IPPool").withPlural("ippools")
      .withNamespaced(false).build();
  private static final String NEW_POOL = "kubepd-cal-1-2001-db8-30-200---64";
  private static final String OLD_POOL = "kubepd-cal-1-2001-db8-30-100---64";

  private static KubernetesClient client;
  private static KubepdOperator operator;

  @BeforeAll
  static void start() {
    client = API.client();
    Cluster.installCrds(client);
    operator = Cluster.operator(client);
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void poolsFollowTheNodesPodCidrOnceCalicoIsInstalled() {
    DelegationPolicy policy = Cluster.policy("calico", Map.of("cni", "calico"));
    policy.getSpec().getPublish().setCalicoIPPool(true);
    client.resource(policy).create();
    Node node = Cluster.node(client, "cal-1", Map.of("cni", "calico"));
    Cluster.createLease(client, "cal-1-eth0", node, "2001:db8:30:100::/56");

    // Without the CRD: the lease is Ready, the annotations are published, the pool is skipped and said so.
    PrefixLease skipped = awaitLease(client, "cal-1-eth0", l -> condition(l, Conditions.POD_CIDR_PUBLISHED)
        .map(c -> PublishedCondition.CALICO_MISSING.equals(c.getReason())).orElse(false));
    assertThat(skipped.getStatus().getPhase()).isEqualTo(LeasePhase.Ready);
    assertThat(condition(skipped, Conditions.POD_CIDR_PUBLISHED).orElseThrow().getMessage()).isEqualTo(
        "Calico IPPool skipped: the CRD ippools.crd.projectcalico.org is not installed. Install Calico, or set the "
            + "DelegationPolicy's publish.calicoIPPool to false. It is published in annotation kubepd.io/pod-cidr.");
    assertThat(awaitEvent(client, "Node", "cal-1", PublishedCondition.CALICO_MISSING).getType()).isEqualTo("Warning");
    awaitEvent(client, "PrefixLease", "cal-1-eth0", PublishedCondition.CALICO_MISSING);
    assertThat(client.nodes().withName("cal-1").get().getMetadata().getAnnotations())
        .containsEntry(NodePublisher.POD_CIDR_ANNOTATION, "2001:db8:30:100::/64");

    // Calico arrives: the operator finds the CRD on its next look and creates the node's pool.
    Cluster.installCrd(client, "/calico/ippools.crd.projectcalico.org.yaml");
    GenericKubernetesResource pool = awaitPool(OLD_POOL, p -> true);
    assertThat(pool.<Object>get("spec", "cidr")).isEqualTo("2001:db8:30:100::/64");
    assertThat(pool.<Object>get("spec", "nodeSelector")).isEqualTo("kubernetes.io/hostname == \"cal-1\"");
    assertThat(pool.<Object>get("spec", "disabled")).isEqualTo(false);
    assertThat(pool.<Object>get("spec", "natOutgoing")).isEqualTo(false);
    assertThat(pool.getMetadata().getLabels()).containsEntry(CalicoIpPools.NODE_LABEL, "cal-1");
    assertThat(pool.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(node.getMetadata().getUid()));
    assertThat(condition(awaitLease(client, "cal-1-eth0",
        l -> Cluster.conditionIs(l, Conditions.POD_CIDR_PUBLISHED, Conditions.TRUE)), Conditions.POD_CIDR_PUBLISHED)
        .orElseThrow().getMessage()).contains("Calico IPPool " + OLD_POOL);

    // Renumbering: a new enabled pool, the old one disabled while it drains, then removed.
    Instant drainEnd = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.SECONDS);
    client.resources(PrefixLease.class).withName("cal-1-eth0").edit(l -> {
      l.getSpec().setDelegatedPrefix("2001:db8:30:200::/56");
      l.getSpec().setDeprecatedPrefixes(List.of(
          new DeprecatedPrefix("2001:db8:30:100::/56", Timestamps.format(drainEnd))));
      return l;
    });
    assertThat(awaitPool(NEW_POOL, p -> true).<Object>get("spec", "disabled")).isEqualTo(false);
    awaitPool(OLD_POOL, p -> Boolean.TRUE.equals(p.get("spec", "disabled")));
    assertThat(Instant.now()).isBefore(drainEnd);
    awaitTrue(() -> pool(OLD_POOL) == null);
    assertThat(Instant.now()).isAfterOrEqualTo(drainEnd);
    awaitPhase(client, "cal-1-eth0", LeasePhase.Ready);

    // A pool deleted behind the operator's back comes back.
    String uid = pool(NEW_POOL).getMetadata().getUid();
    client.genericKubernetesResources(IP_POOLS).withName(NEW_POOL).delete();
    awaitPool(NEW_POOL, p -> !p.getMetadata().getUid().equals(uid));

    // Switching Calico publishing off removes the node's pools.
    client.resources(DelegationPolicy.class).withName("calico").edit(p -> {
      p.getSpec().getPublish().setCalicoIPPool(false);
      return p;
    });
    awaitTrue(() -> pool(NEW_POOL) == null);
  }

  private static GenericKubernetesResource pool(String name) {
    return client.genericKubernetesResources(IP_POOLS).withName(name).get();
  }

  private static GenericKubernetesResource awaitPool(
      String name, java.util.function.Predicate<GenericKubernetesResource> done) {
    return awaitValue(() -> pool(name), p -> p != null && done.test(p));
  }
}
