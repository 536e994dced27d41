package io.kubepd.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** The lease as the node's DHCPv6 client holds it (RFC 8415 IA_PD with one IAPREFIX). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.preferredLifetimeSeconds <= self.validLifetimeSeconds",
    message = "preferredLifetimeSeconds must not exceed validLifetimeSeconds (RFC 8415 section 21.22)")
@ValidationRule(
    value = "self.t1Seconds == 0 || self.t2Seconds == 0 || self.t1Seconds <= self.t2Seconds",
    message = "t1Seconds must not exceed t2Seconds (RFC 8415 section 21.21)")
// Malformed prefixes are reported by their own fields' rules; this one only relates two well-formed ones.
@ValidationRule(
    value = "!has(self.excludedPrefix) || !isCIDR(self.excludedPrefix) || !isCIDR(self.delegatedPrefix) || "
        + "(cidr(self.delegatedPrefix).containsCIDR(self.excludedPrefix) && "
        + "cidr(self.excludedPrefix).prefixLength() > cidr(self.delegatedPrefix).prefixLength())",
    message = "excludedPrefix must lie inside delegatedPrefix and be longer than it (RFC 6603 section 4.2)")
public class PrefixLeaseSpec {

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the Node whose agent holds this lease.")
  private String nodeName;

  @Required
  @Size(min = 1, max = 15)
  @JsonPropertyDescription("Uplink interface the prefix was delegated on, e.g. eth0.")
  private String interfaceName;

  @Required
  @Min(0)
  @Max(4294967295.0)
  @JsonPropertyDescription("Identity association ID of the IA_PD (stable per interface, RFC 9096 WPD-10).")
  private Long iaid;

  @Pattern(Validation.HEX)
  @Size(max = 260)
  @JsonPropertyDescription("The client's DUID, lowercase hex without separators.")
  private String clientDuid;

  @Pattern(Validation.HEX)
  @Size(max = 260)
  @JsonPropertyDescription("DUID of the server that delegated the prefix, lowercase hex without separators.")
  private String serverDuid;

  @Required
  @Size(max = Validation.CIDR_MAX_LENGTH)
  @ValidationRule(value = Validation.IPV6_CIDR_RULE, message = Validation.IPV6_CIDR_MESSAGE)
  @JsonPropertyDescription("The delegated prefix in CIDR notation, e.g. 2001:db8:0:100::/56.")
  private String delegatedPrefix;

  @Size(max = Validation.CIDR_MAX_LENGTH)
  @ValidationRule(value = Validation.IPV6_CIDR_RULE, message = Validation.IPV6_CIDR_MESSAGE)
  @JsonPropertyDescription(
      "The part of delegatedPrefix the delegating router keeps for the uplink's own link (RFC 6603 PD_EXCLUDE), in "
          + "CIDR notation, e.g. 2001:db8:0:100::/64; nothing on the node may use it. Absent when nothing is "
          + "excluded.")
  private String excludedPrefix;

  @Size(max = 8)
  @ValidationRule(value = "self.all(s, size(s) <= 45 && isIP(s) && ip(s).family() == 6)",
      message = "dnsServers must be IPv6 addresses")
  @JsonPropertyDescription("Recursive DNS servers the delegating server sent (RFC 3646), in its order.")
  private List<String> dnsServers;

  @Size(max = 8)
  @ValidationRule(value = "self.all(d, size(d) >= 1 && size(d) <= 253)",
      message = "domainSearchList entries must be domain names of 1 to 253 characters")
  @JsonPropertyDescription("Domain search list the delegating server sent (RFC 3646), without trailing dots.")
  private List<String> domainSearchList;

  @Min(0)
  @Max(Validation.INFINITY)
  @JsonPropertyDescription("Seconds after renewedAt when the client renews (T1); 4294967295 means infinity.")
  private long t1Seconds;

  @Min(0)
  @Max(Validation.INFINITY)
  @JsonPropertyDescription("Seconds after renewedAt when the client rebinds (T2); 4294967295 means infinity.")
  private long t2Seconds;

  @Min(0)
  @Max(Validation.INFINITY)
  @JsonPropertyDescription("Preferred lifetime of the prefix in seconds; 4294967295 means infinity.")
  private long preferredLifetimeSeconds;

  @Min(0)
  @Max(Validation.INFINITY)
  @JsonPropertyDescription("Valid lifetime of the prefix in seconds; 4294967295 means infinity.")
  private long validLifetimeSeconds;

  @JsonPropertyDescription("When the prefix was first obtained (RFC 3339).")
  private String obtainedAt;

  @JsonPropertyDescription("When the lease was last bound, renewed or rebound (RFC 3339).")
  private String renewedAt;

  @JsonPropertyDescription("When the valid lifetime ends unless renewed (RFC 3339); absent for an infinite lifetime.")
  private String expiresAt;

  @Required
  @JsonPropertyDescription("State of the DHCPv6 client for this IA_PD.")
  private DhcpState dhcpState;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Prefixes this client held before the upstream renumbered, kept until their valid lifetime ends so existing "
          + "traffic drains.")
  private List<DeprecatedPrefix> deprecatedPrefixes = new ArrayList<>();

  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }

  @com.fasterxml.jackson.annotation.JsonProperty("interface")
  public String getInterfaceName() {
    return interfaceName;
  }

  @com.fasterxml.jackson.annotation.JsonProperty("interface")
  public void setInterfaceName(String interfaceName) {
    this.interfaceName = interfaceName;
  }

  public Long getIaid() {
    return iaid;
  }

  public void setIaid(Long iaid) {
    this.iaid = iaid;
  }

  public String getClientDuid() {
    return clientDuid;
  }

  public void setClientDuid(String clientDuid) {
    this.clientDuid = clientDuid;
  }

  public String getServerDuid() {
    return serverDuid;
  }

  public void setServerDuid(String serverDuid) {
    this.serverDuid = serverDuid;
  }

  public String getDelegatedPrefix() {
    return delegatedPrefix;
  }

  public void setDelegatedPrefix(String delegatedPrefix) {
    this.delegatedPrefix = delegatedPrefix;
  }

  public String getExcludedPrefix() {
    return excludedPrefix;
  }

  public void setExcludedPrefix(String excludedPrefix) {
    this.excludedPrefix = excludedPrefix;
  }

  public List<String> getDnsServers() {
    return dnsServers;
  }

  public void setDnsServers(List<String> dnsServers) {
    this.dnsServers = dnsServers;
  }

  public List<String> getDomainSearchList() {
    return domainSearchList;
  }

  public void setDomainSearchList(List<String> domainSearchList) {
    this.domainSearchList = domainSearchList;
  }

  public long getT1Seconds() {
    return t1Seconds;
  }

  public void setT1Seconds(long t1Seconds) {
    this.t1Seconds = t1Seconds;
  }

  public long getT2Seconds() {
    return t2Seconds;
  }

  public void setT2Seconds(long t2Seconds) {
    this.t2Seconds = t2Seconds;
  }

  public long getPreferredLifetimeSeconds() {
    return preferredLifetimeSeconds;
  }

  public void setPreferredLifetimeSeconds(long preferredLifetimeSeconds) {
    this.preferredLifetimeSeconds = preferredLifetimeSeconds;
  }

  public long getValidLifetimeSeconds() {
    return validLifetimeSeconds;
  }

  public void setValidLifetimeSeconds(long validLifetimeSeconds) {
    this.validLifetimeSeconds = validLifetimeSeconds;
  }

  public String getObtainedAt() {
    return obtainedAt;
  }

  public void setObtainedAt(String obtainedAt) {
    this.obtainedAt = obtainedAt;
  }

  public String getRenewedAt() {
    return renewedAt;
  }

  public void setRenewedAt(String renewedAt) {
    this.renewedAt = renewedAt;
  }

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }

  public DhcpState getDhcpState() {
    return dhcpState;
  }

  public void setDhcpState(DhcpState dhcpState) {
    this.dhcpState = dhcpState;
  }

  public List<DeprecatedPrefix> getDeprecatedPrefixes() {
    return deprecatedPrefixes;
  }

  public void setDeprecatedPrefixes(List<DeprecatedPrefix> deprecatedPrefixes) {
    this.deprecatedPrefixes = deprecatedPrefixes;
  }
}
