package io.kubepd.agent.kube;

import io.kubepd.agent.client.Lease;
import io.kubepd.agent.codec.Duid;
import io.kubepd.crd.v1alpha1.DeprecatedPrefix;
import io.kubepd.crd.v1alpha1.DhcpState;
import io.kubepd.crd.v1alpha1.PrefixLeaseSpec;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** Turns what a DHCPv6 client holds for one IA_PD into the spec of its PrefixLease. */
public final class LeaseSpecs {
    private LeaseSpecs() {}

    /**
     * @param current the IA's newest prefix (active, or the last one it held after expiry or release)
     * @param draining prefixes of the same IA replaced by renumbering and still valid
     * @param state what the client is doing for this IA
     */
    public static PrefixLeaseSpec of(String nodeName, String interfaceName, Duid clientDuid, Lease current,
            Collection<Lease> draining, DhcpState state, Instant now) {
        PrefixLeaseSpec spec = new PrefixLeaseSpec();
        spec.setNodeName(nodeName);
        spec.setInterfaceName(interfaceName);
        spec.setIaid(current.iaid());
        spec.setClientDuid(hex(clientDuid.toString()));
        spec.setServerDuid(hex(current.serverDuid()));
        spec.setDelegatedPrefix(current.cidr());
        spec.setExcludedPrefix(current.excludedPrefix());
        spec.setDnsServers(current.dns().servers().isEmpty() ? null : current.dns().servers().stream().limit(8).toList());
        spec.setDomainSearchList(current.dns().searchList().isEmpty()
                ? null : current.dns().searchList().stream().limit(8).toList());
        spec.setT1Seconds(current.t1());
        spec.setT2Seconds(current.t2());
        spec.setPreferredLifetimeSeconds(Math.min(current.preferredLifetime(), current.validLifetime()));
        spec.setValidLifetimeSeconds(current.validLifetime());
        spec.setObtainedAt(seconds(current.obtainedAt()));
        spec.setRenewedAt(seconds(current.renewedAt()));
        spec.setExpiresAt(current.expiresAt() == null ? null : seconds(current.expiresAt()));
        spec.setDhcpState(state);
        spec.setDeprecatedPrefixes(draining.stream()
                .filter(l -> l.expiresAt() == null || l.expiresAt().isAfter(now))
                .map(l -> new DeprecatedPrefix(l.cidr(), l.expiresAt() == null ? null : seconds(l.expiresAt())))
                .filter(d -> d.getExpiresAt() != null)
                .limit(16)
                .toList());
        return spec;
    }

    /** The state to report after a lease event, for events that say it. */
    public static DhcpState stateAfter(io.kubepd.agent.client.LeaseEvent.Type event) {
        return switch (event) {
            case BOUND, RENEWED, REBOUND, CHANGED, DRAINING -> DhcpState.Bound;
            case RESTORED -> DhcpState.Rebinding;
            case EXPIRED, WITHDRAWN -> DhcpState.Expired;
            case RELEASED -> DhcpState.Released;
        };
    }

    /** RFC 3339 to the second, as kubectl shows it; lifetimes are whole seconds anyway. */
    static String seconds(Instant instant) {
        return instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    /** {@code 00:03:00:01:…} as the CRD spells DUIDs: lowercase hex without separators. */
    static String hex(String colonHex) {
        return colonHex.replace(":", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** The prefixes of these leases in CIDR notation. */
    static List<String> cidrs(Collection<Lease> leases) {
        return leases.stream().map(Lease::cidr).toList();
    }
}
