package io.kubepd.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** One route the agent must hold in the node's kernel. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlannedRoute {

  @Required
  @JsonPropertyDescription("Local (AnyIP on the device) or Unreachable.")
  private RouteType type;

  @Required
  @Size(max = Validation.CIDR_MAX_LENGTH)
  @ValidationRule(value = Validation.IPV6_CIDR_RULE, message = Validation.IPV6_CIDR_MESSAGE)
  @JsonPropertyDescription("Destination prefix in CIDR notation.")
  private String destination;

  @Size(max = 15)
  @JsonPropertyDescription("Device for Local routes, normally lo.")
  private String device;

  @JsonPropertyDescription("Set on routes of a draining prefix: when the agent removes the route (RFC 3339).")
  private String expiresAt;

  public PlannedRoute() {}

  public PlannedRoute(RouteType type, String destination, String device, String expiresAt) {
    this.type = type;
    this.destination = destination;
    this.device = device;
    this.expiresAt = expiresAt;
  }

  public RouteType getType() {
    return type;
  }

  public void setType(RouteType type) {
    this.type = type;
  }

  public String getDestination() {
    return destination;
  }

  public void setDestination(String destination) {
    this.destination = destination;
  }

  public String getDevice() {
    return device;
  }

  public void setDevice(String device) {
    this.device = device;
  }

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlannedRoute r
        && type == r.type
        && Objects.equals(destination, r.destination)
        && Objects.equals(device, r.device)
        && Objects.equals(expiresAt, r.expiresAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, destination, device, expiresAt);
  }

  @Override
  public String toString() {
    return type + " " + destination + (device == null ? "" : " dev " + device)
        + (expiresAt == null ? "" : " until " + expiresAt);
  }
}
