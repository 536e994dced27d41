package io.kubepd.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** The allocation of a prefix replaced by renumbering, kept until its valid lifetime ends (make-before-break). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DrainingAllocation {

  @JsonPropertyDescription("The previously delegated prefix.")
  private String delegatedPrefix;

  @JsonPropertyDescription("The prefix that was excluded from it (RFC 6603), which its routes leave alone.")
  private String excludedPrefix;

  @Size(max = 16)
  @JsonPropertyDescription("Pod CIDRs that were carved from it.")
  private List<String> podCIDRs = new ArrayList<>();

  @JsonPropertyDescription("When its valid lifetime ends and its routes are removed (RFC 3339).")
  private String expiresAt;

  public DrainingAllocation() {}

  public DrainingAllocation(String delegatedPrefix, List<String> podCIDRs, String expiresAt) {
    this.delegatedPrefix = delegatedPrefix;
    this.podCIDRs = podCIDRs;
    this.expiresAt = expiresAt;
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

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }
}
