package io.kubepd.agent.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the client holds for one IA_PD: its prefixes by CIDR, and when it is due for Renew and Rebind. */
final class IaBinding {
    /** A held prefix and the monotonic time its valid lifetime ends. */
    record Held(Lease lease, long validUntil) {
        boolean active() {
            return lease.state() == Lease.State.ACTIVE;
        }
    }

    final long iaid;
    private final Map<String, Held> prefixes = new LinkedHashMap<>();
    /** Held prefixes a server said it has no binding for; they end when the IA is delegated others. */
    private final Set<String> disowned = new HashSet<>();
    private long renewAt = Exchange.NO_DEADLINE;
    private long rebindAt = Exchange.NO_DEADLINE;

    IaBinding(long iaid) {
        this.iaid = iaid;
    }

    Held get(String cidr) {
        return prefixes.get(cidr);
    }

    void put(Held held) {
        disowned.remove(held.lease().cidr());
        prefixes.put(held.lease().cidr(), held);
    }

    Held remove(String cidr) {
        disowned.remove(cidr);
        return prefixes.remove(cidr);
    }

    /** Marks every held prefix as one no server has a binding for. */
    void disown() {
        disowned.addAll(prefixes.keySet());
    }

    boolean disowned(String cidr) {
        return disowned.contains(cidr);
    }

    Collection<Held> held() {
        return List.copyOf(prefixes.values());
    }

    List<Held> active() {
        return prefixes.values().stream().filter(Held::active).toList();
    }

    boolean hasActive() {
        return prefixes.values().stream().anyMatch(Held::active);
    }

    /** Removes and returns every prefix whose valid lifetime has ended by {@code now}. */
    List<Held> removeExpired(long now) {
        List<Held> expired = new ArrayList<>();
        prefixes.values().removeIf(held -> {
            boolean over = held.validUntil() != Exchange.NO_DEADLINE && held.validUntil() <= now;
            if (over) {
                expired.add(held);
                disowned.remove(held.lease().cidr());
            }
            return over;
        });
        return expired;
    }

    /** Removes and returns every prefix. */
    List<Held> clear() {
        List<Held> all = List.copyOf(prefixes.values());
        prefixes.clear();
        disowned.clear();
        return all;
    }

    void times(long renewAt, long rebindAt) {
        this.renewAt = renewAt;
        this.rebindAt = rebindAt;
    }

    /**
     * Drops Renew/Rebind times already past, which an IA keeps when a Reply leaves all of its
     * prefixes unchanged; otherwise they would trigger a new exchange at once, and again after it.
     */
    void forgetPastTimes(long now) {
        if (renewAt <= now) {
            renewAt = Exchange.NO_DEADLINE;
        }
        if (rebindAt <= now) {
            rebindAt = Exchange.NO_DEADLINE;
        }
    }

    long renewAt() {
        return renewAt;
    }

    long rebindAt() {
        return rebindAt;
    }
}
