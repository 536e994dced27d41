package io.kubepd.agent.kube;

import io.kubepd.crd.v1alpha1.PlannedRoute;
import io.kubepd.crd.v1alpha1.PrefixLease;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The routes the node should hold: the operator's plans from the leases' status, limited to what the agent can
 * vouch for. A planned route whose destination lies outside every prefix this node holds right now (a stale status
 * after the lease expired, or a plan written for another prefix) is not applied, and neither is one whose
 * {@code expiresAt} has passed.
 */
public final class RoutePlans {
    private RoutePlans() {}

    /**
     * @param leases the node's PrefixLeases as last seen (status may lag behind)
     * @param heldPrefixes prefixes the DHCPv6 clients hold now, active or draining, in CIDR notation
     */
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
        int[] lengths = new int[2];
        BigInteger outerBits = parse(outer, lengths, 0);
        BigInteger innerBits = parse(inner, lengths, 1);
        if (outerBits == null || innerBits == null || lengths[1] < lengths[0]) {
            return false;
        }
        int shift = 128 - lengths[0];
        return outerBits.shiftRight(shift).equals(innerBits.shiftRight(shift));
    }

    private static BigInteger parse(String cidr, int[] lengths, int slot) {
        int slash = cidr == null ? -1 : cidr.indexOf('/');
        if (slash < 0 || cidr.indexOf(':') < 0) {
            return null;
        }
        try {
            int length = Integer.parseInt(cidr.substring(slash + 1));
            byte[] bytes = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            if (length < 0 || length > 128 || bytes.length != 16) {
                return null;
            }
            lengths[slot] = length;
            return new BigInteger(1, bytes);
        } catch (NumberFormatException | UnknownHostException e) {
            return null;
        }
    }
}
