package io.kubepd.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;

/** Desired delegation for the nodes a policy selects. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.uplinks.all(u, !has(u.prefixLengthHint) || u.prefixLengthHint <= self.podPrefixLength)",
    message = "podPrefixLength must be at least every uplink's prefixLengthHint: a pod prefix cannot be larger than "
        + "the delegated prefix")
@ValidationRule(
    value = "!has(self.subPrefixes) || self.subPrefixes.all(s, s.index != self.subPrefixIndex || "
        + "s.prefixLength != self.podPrefixLength)",
    message = "a sub-prefix must not take the pod prefix's slot (same prefixLength and index)")
public class DelegationPolicySpec {

  @JsonPropertyDescription("Nodes this policy applies to; empty selects every node.")
  private LabelSelector nodeSelector;

  @Required
  @Size(min = 1, max = 8)
  @ValidationRule(
      value = "self.all(a, self.exists_one(b, b.interface == a.interface))",
      message = "each uplink interface may be listed once")
  @JsonPropertyDescription("Uplink interfaces the agent requests prefixes on, one DHCPv6 client each.")
  private List<Uplink> uplinks = new ArrayList<>();

  @Default("64")
  @Min(1)
  @Max(128)
  @JsonPropertyDescription(
      "Length of each node's pod CIDR carved from its delegated prefix; 64 by default, 80 as in Docker's "
          + "--fixed-cidr-v6 recipe.")
  private int podPrefixLength = 64;

  @Default("0")
  @Min(0)
  @JsonPropertyDescription("Which sub-prefix of podPrefixLength becomes the pod CIDR; 0 (the first) by default.")
  private long subPrefixIndex;

  @Size(max = 8)
  @ValidationRule(
      value = "self.all(a, self.exists_one(b, b.name == a.name))",
      message = "sub-prefix names must be unique")
  @JsonPropertyDescription("Further sub-prefixes to carve, e.g. one for LoadBalancer addresses.")
  private List<SubPrefix> subPrefixes = new ArrayList<>();

  @Default("AnyIP")
  @JsonPropertyDescription(
      "AnyIP: local routes on lo for the pod CIDR and sub-prefixes plus an unreachable route for the delegated "
          + "prefix; UnreachableOnly: only the unreachable route; None: the agent programs no routes.")
  private RouteMode routeMode = RouteMode.AnyIP;

  @Default("true")
  @JsonPropertyDescription("Send Solicit with Rapid Commit (two-message exchange) when the server allows it.")
  private boolean rapidCommit = true;

  @JsonPropertyDescription("Where the operator publishes pod CIDRs; absent means each target's default.")
  private PublishTargets publish = new PublishTargets();

  public LabelSelector getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(LabelSelector nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Uplink> getUplinks() {
    return uplinks;
  }

  public void setUplinks(List<Uplink> uplinks) {
    this.uplinks = uplinks;
  }

  public int getPodPrefixLength() {
    return podPrefixLength;
  }

  public void setPodPrefixLength(int podPrefixLength) {
    this.podPrefixLength = podPrefixLength;
  }

  public long getSubPrefixIndex() {
    return subPrefixIndex;
  }

  public void setSubPrefixIndex(long subPrefixIndex) {
    this.subPrefixIndex = subPrefixIndex;
  }

  public List<SubPrefix> getSubPrefixes() {
    return subPrefixes;
  }

  public void setSubPrefixes(List<SubPrefix> subPrefixes) {
    this.subPrefixes = subPrefixes;
  }

  public RouteMode getRouteMode() {
    return routeMode;
  }

  public void setRouteMode(RouteMode routeMode) {
    this.routeMode = routeMode;
  }

  public boolean isRapidCommit() {
    return rapidCommit;
  }

  public void setRapidCommit(boolean rapidCommit) {
    this.rapidCommit = rapidCommit;
  }

  public PublishTargets getPublish() {
    return publish;
  }

  public void setPublish(PublishTargets publish) {
    this.publish = publish;
  }

  /** One uplink interface and what to ask its upstream for. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Uplink {
    @Required
    @Size(min = 1, max = 15)
    @JsonPropertyDescription("Interface name on the node, e.g. eth0.")
    private String interfaceName;

    @Min(1)
    @Max(128)
    @JsonPropertyDescription("Prefix length to hint in Solicit (e.g. 56 or 60); the server may delegate another.")
    private Integer prefixLengthHint;

    @Min(1)
    @Max(8)
    @Default("1")
    @JsonPropertyDescription("IA_PDs to request on this uplink, each its own PrefixLease with its own prefix (for"
        + " upstreams that delegate one prefix per IA_PD).")
    private int iaPds = 1;

    @com.fasterxml.jackson.annotation.JsonProperty("interface")
    public String getInterfaceName() {
      return interfaceName;
    }

    @com.fasterxml.jackson.annotation.JsonProperty("interface")
    public void setInterfaceName(String interfaceName) {
      this.interfaceName = interfaceName;
    }

    public Integer getPrefixLengthHint() {
      return prefixLengthHint;
    }

    public void setPrefixLengthHint(Integer prefixLengthHint) {
      this.prefixLengthHint = prefixLengthHint;
    }

    public int getIaPds() {
      return iaPds;
    }

    public void setIaPds(int iaPds) {
      this.iaPds = iaPds;
    }
  }

  /** A named sub-prefix to carve besides the pod CIDR. */
  public static class SubPrefix {
    @Required
    @Size(min = 1, max = 63)
    @io.fabric8.generator.annotation.Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("Purpose, e.g. loadbalancer; appears in the lease status.")
    private String name;

    @Required
    @Min(1)
    @Max(128)
    @JsonPropertyDescription("Length of the sub-prefix.")
    private int prefixLength;

    @Min(0)
    @JsonPropertyDescription("Which sub-prefix of that length to take.")
    private long index;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public int getPrefixLength() {
      return prefixLength;
    }

    public void setPrefixLength(int prefixLength) {
      this.prefixLength = prefixLength;
    }

    public long getIndex() {
      return index;
    }

    public void setIndex(long index) {
      this.index = index;
    }
  }
}
