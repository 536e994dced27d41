package io.kubepd.operator.allocation;

import java.util.List;
import java.util.stream.Stream;

/** The prefixes a policy carves from one delegated prefix, or why it cannot. */
public sealed interface Carving {

  /** The pod CIDR and the named sub-prefixes, in policy order. */
  record Carved(Ipv6Prefix podCidr, List<NamedSubPrefix> subPrefixes) implements Carving {
    public Carved {
      subPrefixes = List.copyOf(subPrefixes);
    }

    /** The pod CIDR first, then the sub-prefixes: every prefix the node answers on. */
    public List<Ipv6Prefix> all() {
      return Stream.concat(Stream.of(podCidr), subPrefixes.stream().map(NamedSubPrefix::prefix)).toList();
    }
  }

  /** The policy does not fit the prefix; {@code reason} is a condition reason, {@code message} says what to fix. */
  record Rejected(String reason, String message) implements Carving {}
}
