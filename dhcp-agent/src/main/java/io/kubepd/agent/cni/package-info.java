/**
 * Optional: the node's pod CIDRs as host-local IPAM ranges in a CNI config file the container runtime reads
 * ({@link io.kubepd.agent.cni.CniRangesWriter}), for clusters whose pods get addresses from a bridge + host-local
 * network rather than from a CNI that reads {@code node.spec.podCIDRs}. See {@link io.kubepd.agent.cni.HostLocalRanges}
 * for why draining pod CIDRs are never listed.
 */
package io.kubepd.agent.cni;
