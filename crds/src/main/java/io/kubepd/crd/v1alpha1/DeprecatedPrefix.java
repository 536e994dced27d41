package io.kubepd.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A prefix replaced by renumbering that stays usable until its valid lifetime ends. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeprecatedPrefix {

  @Required
  @Size(max = Validation.CIDR_MAX_LENGTH)
  @ValidationRule(value = Validation.IPV6_CIDR_RULE, message = Validation.IPV6_CIDR_MESSAGE)
  @JsonPropertyDescription("The previously delegated prefix in CIDR notation.")
  private String prefix;

  @Required
  @JsonPropertyDescription("When its valid lifetime ends (RFC 3339).")
  private String expiresAt;

  public DeprecatedPrefix() {}

  public DeprecatedPrefix(String prefix, String expiresAt) {
    this.prefix = prefix;
    this.expiresAt = expiresAt;
  }

  public String getPrefix() {
    return prefix;
  }

  public void setPrefix(String prefix) {
    this.prefix = prefix;
  }

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }
}
