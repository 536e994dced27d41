package io.kubepd.operator.reconciler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.kubepd.operator.publish.NodePublisher;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the operator keeps of Nodes and which Node changes concern it. Kubelets update their Node status every few
 * seconds; none of that matters here, and at thousands of nodes the status (images, conditions) would dominate the
 * operator's memory.
 */
final class NodeEvents {
  private static final List<String> OUR_ANNOTATIONS = List.of(NodePublisher.POD_CIDR_ANNOTATION,
      NodePublisher.DELEGATED_PREFIX_ANNOTATION, NodePublisher.KUBE_ROUTER_ANNOTATION);

  private NodeEvents() {}

  /** The Node reduced to name, identity, labels, our annotations and pod CIDRs. */
  static Node prune(Node node) {
    var metadata = node.getMetadata();
    var spec = node.getSpec();
    return new NodeBuilder()
        .withNewMetadata()
          .withName(metadata.getName())
          .withUid(metadata.getUid())
          .withResourceVersion(metadata.getResourceVersion())
          .withCreationTimestamp(metadata.getCreationTimestamp())
          .withDeletionTimestamp(metadata.getDeletionTimestamp())
          .withLabels(metadata.getLabels())
          .withAnnotations(ours(metadata.getAnnotations()))
        .endMetadata()
        .withNewSpec()
          .withPodCIDR(spec == null ? null : spec.getPodCIDR())
          .withPodCIDRs(spec == null ? null : spec.getPodCIDRs())
        .endSpec()
        .build();
  }

  /**
   * Whether an update changes anything the reconciler reads. {@code written} is what the operator itself last
   * wrote to the node (see {@link #published}); a change to exactly that is the echo of its own patch.
   */
  static boolean relevant(Node updated, Node previous, Published written) {
    var now = updated.getMetadata();
    var before = previous.getMetadata();
    if (!Objects.equals(now.getUid(), before.getUid())
        || !Objects.equals(now.getLabels(), before.getLabels())
        || !Objects.equals(now.getDeletionTimestamp(), before.getDeletionTimestamp())) {
      return true;
    }
    Published seen = published(updated);
    return !seen.equals(published(previous)) && !seen.equals(written);
  }

  /** The parts of a Node the operator publishes to: our annotations and the pod CIDRs. */
  record Published(Map<String, String> annotations, List<String> podCidrs) {}

  static Published published(Node node) {
    return new Published(ours(node.getMetadata().getAnnotations()), podCidrs(node));
  }

  private static List<String> podCidrs(Node node) {
    return node.getSpec() == null || node.getSpec().getPodCIDRs() == null ? List.of() : node.getSpec().getPodCIDRs();
  }

  private static Map<String, String> ours(Map<String, String> annotations) {
    Map<String, String> kept = new HashMap<>();
    if (annotations != null) {
      for (String key : OUR_ANNOTATIONS) {
        if (annotations.containsKey(key)) {
          kept.put(key, annotations.get(key));
        }
      }
    }
    return kept;
  }
}
