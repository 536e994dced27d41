/**
 * A DHCPv6 lab of network namespaces: a router namespace running a real DHCPv6 server (ISC Kea or ISC dhcpd)
 * and node namespaces joined to it by veth pairs, usable as a JUnit 5 extension or as a plain AutoCloseable.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final NetnsLab LAB = NetnsLab.builder().nodes(2).build();   // one lab per class; skipped unless root
 *
 * @Test
 * void getsAPrefix() {
 *   KeaServer kea = LAB.kea(PdPool.of("2001:db8:100::/48", 60));     // stopped again after this test
 *   LabNode node = LAB.node(1);                                        // namespace node.netns(), uplink "uplink0"
 *   node.netns().spawn("agent", Map.of(), "java", "-jar", agentJar, "--interface", node.interfaceName());
 *   Poll.until(Duration.ofSeconds(15), "a lease in Kea", () -> !kea.leases().isEmpty());
 *   Ipv6Prefix delegated = kea.leases().get(0).prefix();
 *   assertThat(node.netns().routes()).extracting(Route::destination).contains(delegated.toString());
 *   kea.reconfigurePool(PdPool.of("2001:db8:200::/48", 56));          // renumbering
 *   kea.stop();                                                        // server gone
 * }
 * }</pre>
 */
package io.kubepd.testkit.lab;
