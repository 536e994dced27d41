package io.kubepd.testkit.lab;

/**
 * A node of the lab: its namespace, its uplink interface towards the router, and the router-side veth end.
 *
 * @param index 1-based
 */
public record LabNode(int index, Netns netns, String interfaceName, String routerPort) {
  /** Runs {@code command} in this node's namespace. */
  public ExecResult exec(String... command) {
    return netns.exec(command);
  }

  /** The node's link-local address on its uplink, without zone. */
  public String linkLocal() {
    return netns.linkLocal(interfaceName)
        .orElseThrow(() -> new LabException(interfaceName + " in " + netns + " has no usable link-local address"));
  }
}
