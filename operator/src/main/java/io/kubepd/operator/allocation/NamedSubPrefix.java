package io.kubepd.operator.allocation;

import java.util.Objects;

/** A sub-prefix carved for one purpose, e.g. loadbalancer. */
public record NamedSubPrefix(String name, Ipv6Prefix prefix) {
  public NamedSubPrefix {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(prefix, "prefix");
  }
}
