package io.kubepd.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** How a policy is applied: how many leases it governs, and whether it is valid. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DelegationPolicyStatus {

  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  private Long observedGeneration;

  @JsonPropertyDescription("Number of PrefixLeases of the nodes this policy selects.")
  private Integer leases;

  @JsonPropertyDescription("Standard conditions: Valid.")
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Integer getLeases() {
    return leases;
  }

  public void setLeases(Integer leases) {
    this.leases = leases;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
