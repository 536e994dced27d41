package io.kubepd.agent.kube;

import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.PrefixLease;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what the node's CNI ranges file should list: the pod CIDRs of its Ready leases, nothing, or whatever it
 * lists already.
 *
 * <ul>
 *   <li>Ready leases whose prefix the node holds: their pod CIDRs, oldest lease first (the operator publishes the
 *       oldest Ready lease as the node's pod CIDR, so it is host-local's first range too).</li>
 *   <li>None, but a held prefix still waits for the operator (no lease reports it yet, or its lease is Pending or
 *       Expired): the file stays as it is. That is what an operator restart, an API server outage or a stale Expired
 *       verdict look like from the node; pods keep starting with addresses of a prefix the node still routes, as
 *       the routes stay too ({@link RoutePlans}).</li>
 *   <li>The node holds no prefix, or the operator decided against every held one (Conflict, Invalid): no ranges, so
 *       the file goes and the runtime reports the node's network not ready instead of handing out addresses the
 *       node does not route.</li>
 * </ul>
 */
public final class CniPodCidrs {
    private static final Set<LeasePhase> VERDICTS_AGAINST = Set.of(LeasePhase.Conflict, LeasePhase.Invalid);
    private static final Comparator<PrefixLease> OLDEST_FIRST = Comparator
            .comparing((PrefixLease l) -> Objects.toString(l.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(l -> l.getMetadata().getName());

    private CniPodCidrs() {
    }

    /**
     * @param leases the node's PrefixLeases as last seen
     * @param heldPrefixes prefixes the DHCPv6 clients hold now, active or draining, in CIDR notation
     * @return the pod CIDRs the file should list (empty: delete it), or empty to leave the file as it is
     */
    public static Optional<List<String>> decide(Collection<PrefixLease> leases, Collection<String> heldPrefixes) {
        List<String> ready = leases.stream()
                .filter(l -> l.getStatus() != null && l.getStatus().getPhase() == LeasePhase.Ready)
                .filter(l -> heldPrefixes.contains(l.getStatus().getDelegatedPrefix()))
                .sorted(OLDEST_FIRST)
                .flatMap(l -> l.getStatus().getPodCIDRs().stream())
                .distinct()
                .toList();
        if (!ready.isEmpty()) {
            return Optional.of(ready);
        }
        boolean waiting = heldPrefixes.stream().anyMatch(prefix -> leases.stream().noneMatch(l -> l.getStatus() != null
                && prefix.equals(l.getStatus().getDelegatedPrefix())
                && VERDICTS_AGAINST.contains(l.getStatus().getPhase())));
        return waiting ? Optional.empty() : Optional.of(List.of());
    }
}
