package io.kubepd.agent.kube;

import java.util.Locale;

/** Names of the PrefixLease objects an agent owns: one per node, uplink and IA_PD. */
public final class LeaseNames {
    private LeaseNames() {}

    /**
     * {@code <node>-<interface>-<iaid in hex>}, lowercased, with characters a DNS subdomain does not allow replaced,
     * e.g. {@code worker-1-eth0-1a2b3c4d}.
     */
    public static String of(String nodeName, String interfaceName, long iaid) {
        String raw = nodeName + "-" + interfaceName + "-" + Long.toHexString(iaid);
        String name = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
        return name.length() <= 253 ? name : name.substring(0, 253);
    }
}
