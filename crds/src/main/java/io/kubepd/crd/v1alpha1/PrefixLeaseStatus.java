package io.kubepd.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator decided for a lease: pod CIDRs, the route plan the agent applies, and conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrefixLeaseStatus {

  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  private Long observedGeneration;

  @JsonPropertyDescription("Summary: Pending, Ready, Conflict, Expired or Invalid.")
  private LeasePhase phase;

  @JsonPropertyDescription("The delegated prefix this status was computed for.")
  private String delegatedPrefix;

  @JsonPropertyDescription(
      "The prefix excluded from delegatedPrefix (RFC 6603) this status was computed for; pod CIDRs, sub-prefixes and "
          + "routes leave it alone. Absent when nothing is excluded.")
  private String excludedPrefix;

  @Size(max = 16)
  @JsonPropertyDescription("Pod CIDRs carved from the delegated prefix; the first is the node's primary pod CIDR.")
  private List<String> podCIDRs = new ArrayList<>();

  @Size(max = 16)
  @JsonPropertyDescription("Further sub-prefixes the policy asked for, by name.")
  private List<NamedPrefix> subPrefixes = new ArrayList<>();

  @Size(max = 64)
  @JsonPropertyDescription("Routes the agent holds on the node: AnyIP local routes and an unreachable route.")
  private List<PlannedRoute> routes = new ArrayList<>();

  @Size(max = 16)
  @JsonPropertyDescription("Allocations of prefixes replaced by renumbering, until their valid lifetime ends.")
  private List<DrainingAllocation> draining = new ArrayList<>();

  @Size(max = 16)
  @JsonPropertyDescription("Standard conditions: Ready, Conflict, Expired, PodCIDRPublished, PolicySelected.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription(
      "The DelegationPolicy applied to this lease's node; absent when no policy selects the node and the defaults "
          + "apply.")
  private String policy;

  @JsonPropertyDescription(
      "When the valid lifetime of delegatedPrefix ends (RFC 3339) as planned; absent for an infinite lifetime. A "
          + "renumbering the agent does not report in deprecatedPrefixes drains the old allocation until then.")
  private String expiresAt;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public LeasePhase getPhase() {
    return phase;
  }

  public void setPhase(LeasePhase phase) {
    this.phase = phase;
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

  public List<String> getPodCIDRs() {
    return podCIDRs;
  }

  public void setPodCIDRs(List<String> podCIDRs) {
    this.podCIDRs = podCIDRs;
  }

  public List<NamedPrefix> getSubPrefixes() {
    return subPrefixes;
  }

  public void setSubPrefixes(List<NamedPrefix> subPrefixes) {
    this.subPrefixes = subPrefixes;
  }

  public List<PlannedRoute> getRoutes() {
    return routes;
  }

  public void setRoutes(List<PlannedRoute> routes) {
    this.routes = routes;
  }

  public List<DrainingAllocation> getDraining() {
    return draining;
  }

  public void setDraining(List<DrainingAllocation> draining) {
    this.draining = draining;
  }

  public String getPolicy() {
    return policy;
  }

  public void setPolicy(String policy) {
    this.policy = policy;
  }

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
