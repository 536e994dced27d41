package io.kubepd.testkit.lab;

/** An IPv6 address configured on an interface, as {@code ip -6 -json addr} shows it. */
public record InterfaceAddress(String device, String address, int prefixLength, String scope, boolean tentative) {
  public boolean linkLocal() {
    return "link".equals(scope);
  }
}
