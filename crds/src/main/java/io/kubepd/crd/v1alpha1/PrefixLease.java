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
 * A delegated IPv6 prefix held by one node's DHCPv6 client on one uplink; the agent writes the spec, the operator the
 * status. Cluster-scoped, like the node it belongs to.
 */
@Group(PrefixLease.GROUP)
@Version(PrefixLease.VERSION)
@Kind("PrefixLease")
@Singular("prefixlease")
@Plural("prefixleases")
@ShortNames("pl")
@AdditionalPrinterColumn(name = "Node", jsonPath = ".spec.nodeName", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Interface", jsonPath = ".spec.interface", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Prefix", jsonPath = ".spec.delegatedPrefix", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Pod-CIDR", jsonPath = ".status.podCIDRs[0]", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "State", jsonPath = ".spec.dhcpState", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Expires", jsonPath = ".spec.expiresAt", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class PrefixLease extends CustomResource<PrefixLeaseSpec, PrefixLeaseStatus> {
  public static final String GROUP = "kubepd.io";
  public static final String VERSION = "v1alpha1";

  /** Label with the name of the node that holds the lease, so agents and users can select their own leases. */
  public static final String NODE_LABEL = "kubepd.io/node";
  /** Label with the uplink interface the lease was obtained on. */
  public static final String INTERFACE_LABEL = "kubepd.io/interface";

  @Override
  protected PrefixLeaseSpec initSpec() {
    return new PrefixLeaseSpec();
  }

  @Override
  protected PrefixLeaseStatus initStatus() {
    return new PrefixLeaseStatus();
  }
}
