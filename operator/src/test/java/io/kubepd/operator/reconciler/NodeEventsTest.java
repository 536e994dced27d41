package io.kubepd.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.kubepd.operator.publish.NodePublisher;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeEventsTest {
  private static Node node() {
    return new NodeBuilder()
        .withNewMetadata().withName("n1").withUid("u1").withResourceVersion("7")
          .withLabels(Map.of("zone", "a"))
          .withAnnotations(Map.of(NodePublisher.POD_CIDR_ANNOTATION, "2001:db8::/64", "other/annotation", "big"))
        .endMetadata()
        .withNewSpec().withPodCIDRs(List.of("2001:db8::/64")).withProviderID("cloud://x").endSpec()
        .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
          .addNewImage().withNames("registry/image:tag").withSizeBytes(1L).endImage().endStatus()
        .build();
  }

  @Test
  void keepsOnlyWhatTheReconcilerReads() {
    Node pruned = NodeEvents.prune(node());
    assertThat(pruned.getStatus()).isNull();
    assertThat(pruned.getMetadata().getName()).isEqualTo("n1");
    assertThat(pruned.getMetadata().getUid()).isEqualTo("u1");
    assertThat(pruned.getMetadata().getLabels()).containsEntry("zone", "a");
    assertThat(pruned.getMetadata().getAnnotations())
        .containsOnlyKeys(NodePublisher.POD_CIDR_ANNOTATION);
    assertThat(pruned.getSpec().getPodCIDRs()).containsExactly("2001:db8::/64");
    assertThat(pruned.getSpec().getProviderID()).isNull();
  }

  @Test
  void heartbeatsAreIrrelevantLabelsAndOurAnnotationsAreNot() {
    Node before = NodeEvents.prune(node());
    Node heartbeat = node();
    heartbeat.getStatus().getConditions().get(0).setLastHeartbeatTime("2026-01-01T00:00:10Z");
    heartbeat.getMetadata().getAnnotations().put("other/annotation", "changed");
    assertThat(NodeEvents.relevant(heartbeat, before, null)).isFalse();
    Node relabelled = node();
    relabelled.getMetadata().setLabels(Map.of("zone", "b"));
    assertThat(NodeEvents.relevant(relabelled, before, null)).isTrue();
    Node unannotated = node();
    unannotated.getMetadata().setAnnotations(Map.of());
    assertThat(NodeEvents.relevant(unannotated, before, null)).isTrue();
    Node podCidrs = node();
    podCidrs.getSpec().setPodCIDRs(List.of());
    assertThat(NodeEvents.relevant(podCidrs, before, null)).isTrue();
  }

  @Test
  void theEchoOfTheOperatorsOwnPatchIsIrrelevant() {
    Node before = NodeEvents.prune(node());
    Node patched = node();
    patched.getMetadata().setAnnotations(Map.of(NodePublisher.POD_CIDR_ANNOTATION, "2001:db8:1::/64"));
    assertThat(NodeEvents.relevant(patched, before, NodeEvents.published(patched))).isFalse();
    assertThat(NodeEvents.relevant(patched, before, NodeEvents.published(before))).isTrue();
  }
}
