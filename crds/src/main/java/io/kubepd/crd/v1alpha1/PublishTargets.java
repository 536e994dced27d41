package io.kubepd.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Switches for each place the operator publishes a node's pod CIDR. */
public class PublishTargets {

  @Default("true")
  @JsonPropertyDescription("Annotate the Node with kubepd.io/pod-cidr and kubepd.io/delegated-prefix.")
  private boolean nodeAnnotations = true;

  @Default("false")
  @JsonPropertyDescription("Also annotate kube-router.io/pod-cidr, which kube-router reads.")
  private boolean kubeRouterAnnotation;

  @Default("false")
  @JsonPropertyDescription(
      "Set Node.spec.podCIDRs when it is empty. It is immutable once set, so a later renumbering is reported in a "
          + "condition instead. Requires kube-controller-manager --allocate-node-cidrs=false.")
  private boolean nodePodCIDRs;

  @Default("false")
  @JsonPropertyDescription("Create one Calico IPPool per node when the Calico CRDs are installed.")
  private boolean calicoIPPool;

  public boolean isNodeAnnotations() {
    return nodeAnnotations;
  }

  public void setNodeAnnotations(boolean nodeAnnotations) {
    this.nodeAnnotations = nodeAnnotations;
  }

  public boolean isKubeRouterAnnotation() {
    return kubeRouterAnnotation;
  }

  public void setKubeRouterAnnotation(boolean kubeRouterAnnotation) {
    this.kubeRouterAnnotation = kubeRouterAnnotation;
  }

  public boolean isNodePodCIDRs() {
    return nodePodCIDRs;
  }

  public void setNodePodCIDRs(boolean nodePodCIDRs) {
    this.nodePodCIDRs = nodePodCIDRs;
  }

  public boolean isCalicoIPPool() {
    return calicoIPPool;
  }

  public void setCalicoIPPool(boolean calicoIPPool) {
    this.calicoIPPool = calicoIPPool;
  }
}
