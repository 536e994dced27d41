package io.kubepd.agent.cli;

import io.kubepd.agent.client.Lease;
import io.kubepd.agent.client.LeaseEvent;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One lease event of one uplink as the standalone mode reports it: the client's event plus the prefix it replaces
 * or is replaced by, which a hook needs to move addresses or routes from the old prefix to the new.
 *
 * @param time when the event happened (wall clock)
 * @param oldPrefix the prefix going away or being replaced, in CIDR notation; null if none
 * @param newPrefix the prefix to use from now on, in CIDR notation; null if none
 */
record LeaseChange(Instant time, String interfaceName, LeaseEvent event, String oldPrefix, String newPrefix) {

    LeaseChange {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(event, "event");
    }

    /** The event name as printed and passed to hooks: {@code bound}, {@code renewed}, ... */
    String eventName() {
        return event.type().name().toLowerCase(Locale.ROOT);
    }

    Lease lease() {
        return event.lease();
    }
}
