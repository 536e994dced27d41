package io.kubepd.operator.allocation;

/** Text that is not an IPv6 prefix in CIDR notation; the message says what is wrong with it. */
public final class InvalidPrefixException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String input;

  InvalidPrefixException(String input, String problem) {
    super("\"" + input + "\" is not an IPv6 prefix: " + problem + " (expected e.g. 2001:db8:0:100::/56)");
    this.input = input;
  }

  /** The rejected text, as given. */
  public String input() {
    return input;
  }
}
