package io.kubepd.operator.publish;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubepd.crd.v1alpha1.PublishTargets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a node's pod CIDR where its policy says: Node annotations, Node.spec.podCIDRs (only while empty: it is
 * immutable once set) and Calico IPPools. Writes only what differs, as one JSON merge patch of the Node.
 */
public final class NodePublisher {
  /** Annotation with the node's pod CIDR. */
  public static final String POD_CIDR_ANNOTATION = "kubepd.io/pod-cidr";
  /** Annotation with the delegated prefix the pod CIDR was carved from. */
  public static final String DELEGATED_PREFIX_ANNOTATION = "kubepd.io/delegated-prefix";
  /** Annotation kube-router reads the node's pod CIDR from. */
  public static final String KUBE_ROUTER_ANNOTATION = "kube-router.io/pod-cidr";

  private static final Logger log = LoggerFactory.getLogger(NodePublisher.class);

  private final KubernetesClient client;
  private final CalicoIpPools calico;

  public NodePublisher(KubernetesClient client, CalicoIpPools calico) {
    this.client = client;
    this.calico = calico;
  }

  /** Where Node.spec.podCIDRs stands. */
  public enum PodCidrs {
    /** Not a target. */
    OFF,
    /** Holds the primary pod CIDR. */
    PUBLISHED,
    /** Set earlier to something else; it cannot change. */
    IMMUTABLE
  }

  /**
   * What was published for a node.
   *
   * @param node the Node as patched, or empty when it needed no change
   * @param podCidrs where Node.spec.podCIDRs stands
   * @param nodePodCidrs the Node's spec.podCIDRs after publishing
   * @param calico the Calico sync result
   */
  public record Published(
      Optional<Node> node, PodCidrs podCidrs, List<String> nodePodCidrs, CalicoIpPools.Result calico) {}

  /**
   * Brings the node and its pools in line with {@code publication}. {@code expecting} is told the Node as it will be
   * just before the patch is sent: the watch may deliver the change before the patch call returns.
   */
  public Published publish(Node node, NodePublication publication, Consumer<Node> expecting) {
    PublishTargets targets = publication.targets();
    Optional<NodePublication.Primary> primary = publication.primary();
    Optional<String> podCidr = primary.map(p -> p.podCidr().toString());
    Map<String, String> annotations = node.getMetadata().getAnnotations() == null
        ? Map.of() : node.getMetadata().getAnnotations();

    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    ObjectNode patchAnnotations = JsonNodeFactory.instance.objectNode();
    // kubepd.io/* annotations are ours: removed when switched off. kube-router's is left alone when off, since
    // someone else may set it.
    Optional<String> none = Optional.empty();
    setAnnotation(patchAnnotations, annotations, POD_CIDR_ANNOTATION, targets.isNodeAnnotations() ? podCidr : none);
    setAnnotation(patchAnnotations, annotations, DELEGATED_PREFIX_ANNOTATION,
        targets.isNodeAnnotations() ? primary.map(p -> p.delegatedPrefix().toString()) : none);
    if (targets.isKubeRouterAnnotation()) {
      setAnnotation(patchAnnotations, annotations, KUBE_ROUTER_ANNOTATION, podCidr);
    }
    if (!patchAnnotations.isEmpty()) {
      patch.putObject("metadata").set("annotations", patchAnnotations);
    }

    List<String> current = node.getSpec() == null || node.getSpec().getPodCIDRs() == null
        ? List.of() : node.getSpec().getPodCIDRs();
    List<String> nodePodCidrs = current;
    PodCidrs podCidrs = PodCidrs.OFF;
    if (targets.isNodePodCIDRs() && podCidr.isPresent()) {
      if (current.isEmpty()) {
        ObjectNode spec = patch.putObject("spec");
        spec.put("podCIDR", podCidr.get());
        spec.putArray("podCIDRs").add(podCidr.get());
        nodePodCidrs = List.of(podCidr.get());
        podCidrs = PodCidrs.PUBLISHED;
      } else {
        podCidrs = current.contains(podCidr.get()) ? PodCidrs.PUBLISHED : PodCidrs.IMMUTABLE;
      }
    }

    Optional<Node> patched = Optional.empty();
    if (!patch.isEmpty()) {
      expecting.accept(expected(node, patchAnnotations, nodePodCidrs));
      // Through the cached Node, not by name: fabric8 GETs an object it patches by name first.
      patched = Optional.of(client.resource(node).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString()));
      log.info("node published node={} podCIDR={} lease={} patch={}", publication.nodeName(),
          podCidr.orElse("-"), primary.map(NodePublication.Primary::lease).orElse("-"), patch);
    }
    CalicoIpPools.Result calicoResult = calico.sync(patched.orElse(node), publication);
    return new Published(patched, podCidrs, new ArrayList<>(nodePodCidrs), calicoResult);
  }

  /** The node with a merge patch of annotations and the given pod CIDRs applied, as the API server will store it. */
  private static Node expected(Node node, ObjectNode patchAnnotations, List<String> podCidrs) {
    Node expected = new NodeBuilder(node).build();
    Map<String, String> annotations = expected.getMetadata().getAnnotations() == null
        ? new HashMap<>() : new HashMap<>(expected.getMetadata().getAnnotations());
    patchAnnotations.fields().forEachRemaining(field -> {
      if (field.getValue().isNull()) {
        annotations.remove(field.getKey());
      } else {
        annotations.put(field.getKey(), field.getValue().asText());
      }
    });
    expected.getMetadata().setAnnotations(annotations);
    if (expected.getSpec() == null) {
      expected.setSpec(new NodeSpec());
    }
    expected.getSpec().setPodCIDRs(podCidrs);
    return expected;
  }

  private static void setAnnotation(
      ObjectNode patch, Map<String, String> current, String key, Optional<String> desired) {
    String have = current.get(key);
    if (desired.isEmpty()) {
      if (have != null) {
        patch.putNull(key);
      }
    } else if (!Objects.equals(have, desired.get())) {
      patch.put(key, desired.get());
    }
  }
}
