package io.kubepd.agent.kube;

import io.kubepd.crd.v1alpha1.PlannedRoute;
import io.kubepd.agent.route.Ipv6Cidr;
import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.crd.v1alpha1.PrefixLeaseStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The routes the node should hold: the operator's plans from the leases' status, limited to what the agent can
 * vouch for. A planned route whose destination lies outside every prefix this node holds right now (a stale status
 * after the lease expired, or a plan written for another prefix) is not applied, and neither is one whose
 * {@code expiresAt} has passed.
 *
 * <p>An {@code Expired} verdict is the operator's reading of a spec that may be stale: after an API server outage the
 * operator can see the old {@code expiresAt} before the agent's catch-up report arrives. While the agent still holds
 * the prefix, the lease's last Ready plan stays in force, so the dataplane does not follow the control plane down.
 */
public final class RoutePlans {
    private final Map<String, List<PlannedRoute>> lastReady = new HashMap<>();

    /**
     * The routes to hold now, remembering each lease's last Ready plan for the case above.
     *
     * @param leases the node's PrefixLeases as last seen (status may lag behind)
     * @param heldPrefixes prefixes the DHCPv6 clients hold now, active or draining, in CIDR notation
     */
    public List<PlannedRoute> plan(Collection<PrefixLease> leases, Collection<String> heldPrefixes, Instant now) {
        List<PrefixLease> effective = new ArrayList<>();
        for (PrefixLease lease : leases) {
            String name = lease.getMetadata() == null ? null : lease.getMetadata().getName();
            var status = lease.getStatus();
            if (name == null || status == null) {
                effective.add(lease);
            } else if (status.getPhase() == LeasePhase.Ready) {
                lastReady.put(name, List.copyOf(status.getRoutes()));
                effective.add(lease);
            } else if (status.getPhase() == LeasePhase.Expired && lastReady.containsKey(name)
                    && heldPrefixes.contains(lease.getSpec().getDelegatedPrefix())) {
                PrefixLease kept = new PrefixLease();
                kept.setMetadata(lease.getMetadata());
                kept.setSpec(lease.getSpec());
                kept.setStatus(new PrefixLeaseStatus());
                kept.getStatus().setRoutes(lastReady.get(name));
                effective.add(kept);
            } else {
                lastReady.remove(name);
                effective.add(lease);
            }
        }
        return desired(effective, heldPrefixes, now);
    }

    /** The planned routes of these leases' status that lie in a held prefix and have not expired. */
    public static List<PlannedRoute> desired(Collection<PrefixLease> leases, Collection<String> heldPrefixes,
            Instant now) {
        Set<PlannedRoute> routes = new LinkedHashSet<>();
        for (PrefixLease lease : leases) {
            if (lease.getStatus() == null || lease.getStatus().getRoutes() == null) {
                continue;
            }
            for (PlannedRoute route : lease.getStatus().getRoutes()) {
                if (!expired(route, now) && heldPrefixes.stream().anyMatch(p -> contains(p, route.getDestination()))) {
                    routes.add(route);
                }
            }
        }
        return List.copyOf(routes);
    }

    private static boolean expired(PlannedRoute route, Instant now) {
        if (route.getExpiresAt() == null) {
            return false;
        }
        try {
            return !Instant.parse(route.getExpiresAt()).isAfter(now);
        } catch (DateTimeParseException e) {
            return true;
        }
    }

    /** True when {@code inner} (CIDR) lies within {@code outer} (CIDR); false for anything unparsable. */
    static boolean contains(String outer, String inner) {
        try {
            return Ipv6Cidr.parse(outer).contains(Ipv6Cidr.parse(inner));
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }
}
