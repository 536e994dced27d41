package io.kubepd.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** A sub-prefix carved from the delegated prefix for one purpose (pods, load balancers, ...). */
public class NamedPrefix {

  @Required
  @JsonPropertyDescription("Purpose of the sub-prefix, e.g. pods or loadbalancer.")
  private String name;

  @Required
  @JsonPropertyDescription("The sub-prefix in CIDR notation.")
  private String prefix;

  public NamedPrefix() {}

  public NamedPrefix(String name, String prefix) {
    this.name = name;
    this.prefix = prefix;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getPrefix() {
    return prefix;
  }

  public void setPrefix(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NamedPrefix p && Objects.equals(name, p.name) && Objects.equals(prefix, p.prefix);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, prefix);
  }
}
