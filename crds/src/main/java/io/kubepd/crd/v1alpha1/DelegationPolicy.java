package io.kubepd.crd.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Which nodes request prefixes on which uplinks, and how the operator carves and publishes what they get.
 * Cluster-scoped.
 */
@Group(PrefixLease.GROUP)
@Version(PrefixLease.VERSION)
@Kind("DelegationPolicy")
@Singular("delegationpolicy")
@Plural("delegationpolicies")
@ShortNames("dp")
@AdditionalPrinterColumn(name = "Pod-Prefix-Length", jsonPath = ".spec.podPrefixLength", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Route-Mode", jsonPath = ".spec.routeMode", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Leases", jsonPath = ".status.leases", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class DelegationPolicy extends CustomResource<DelegationPolicySpec, DelegationPolicyStatus> {

  @Override
  protected DelegationPolicySpec initSpec() {
    return new DelegationPolicySpec();
  }

  @Override
  protected DelegationPolicyStatus initStatus() {
    return new DelegationPolicyStatus();
  }
}
