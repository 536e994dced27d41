package io.kubepd.agent.client;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** States of {@link Dhcp6Client}, each with the states it may be entered from. */
public enum ClientState {
    INIT,
    SOLICITING,
    REQUESTING,
    BOUND,
    RENEWING,
    REBINDING,
    RELEASING,
    STOPPED;

    private static final Map<ClientState, Set<ClientState>> PREDECESSORS = new EnumMap<>(ClientState.class);

    static {
        PREDECESSORS.put(SOLICITING, EnumSet.of(INIT, REQUESTING, BOUND, RENEWING, REBINDING));
        PREDECESSORS.put(REQUESTING, EnumSet.of(SOLICITING, RENEWING, REBINDING));
        PREDECESSORS.put(BOUND, EnumSet.of(SOLICITING, REQUESTING, RENEWING, REBINDING));
        PREDECESSORS.put(RENEWING, EnumSet.of(BOUND));
        // INIT -> REBINDING: a restart with persisted leases confirms them with Rebind (§18.2.12).
        PREDECESSORS.put(REBINDING, EnumSet.of(INIT, BOUND, RENEWING));
        PREDECESSORS.put(RELEASING, EnumSet.of(REQUESTING, BOUND, RENEWING, REBINDING));
        PREDECESSORS.put(STOPPED, EnumSet.complementOf(EnumSet.of(STOPPED)));
    }

    boolean canBeEnteredFrom(ClientState previous) {
        return PREDECESSORS.getOrDefault(this, Set.of()).contains(previous);
    }
}
