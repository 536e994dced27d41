package io.kubepd.operator.allocation;

import java.util.Objects;

/** A named sub-prefix a policy asks for: the {@code index}-th prefix of {@code length} in the delegated prefix. */
public record SubPrefixRequest(String name, int length, long index) {
  public SubPrefixRequest {
    Objects.requireNonNull(name, "name");
  }
}
