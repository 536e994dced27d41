package io.kubepd.agent.cli;

import io.kubepd.agent.client.Lease;
import io.kubepd.agent.client.LeaseEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Pairs each lease event of one uplink with the old and new prefix, from the active prefix it remembers per IA_PD.
 *
 * <p>bound/restored: new only; renewed/rebound: the same prefix as old and new; changed: the IA's previous prefix
 * as old; draining, expired, withdrawn, released: the prefix as old and the IA's active one (if any) as new. The
 * client names a new prefix before the ones it replaces, so "changed" finds the previous prefix still active.
 */
final class LeaseChangeTracker {

    private final String interfaceName;
    private final Map<Long, String> activeByIaid = new HashMap<>();

    LeaseChangeTracker(String interfaceName) {
        this.interfaceName = interfaceName;
    }

    LeaseChange track(LeaseEvent event, Instant now) {
        Lease lease = event.lease();
        String prefix = lease.cidr();
        String active = activeByIaid.get(lease.iaid());
        String oldPrefix;
        String newPrefix;
        switch (event.type()) {
            case BOUND, RESTORED -> {
                oldPrefix = null;
                newPrefix = prefix;
            }
            case RENEWED, REBOUND -> {
                oldPrefix = prefix;
                newPrefix = prefix;
            }
            case CHANGED -> {
                oldPrefix = prefix.equals(active) ? null : active;
                newPrefix = prefix;
            }
            default -> {
                oldPrefix = prefix;
                newPrefix = prefix.equals(active) ? null : active;
            }
        }
        if (newPrefix != null) {
            activeByIaid.put(lease.iaid(), newPrefix);
        } else {
            activeByIaid.remove(lease.iaid());
        }
        return new LeaseChange(now, interfaceName, event, oldPrefix, newPrefix);
    }
}
