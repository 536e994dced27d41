package io.kubepd.agent.client;

import io.kubepd.agent.codec.Duid;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of one client, i.e. one uplink interface.
 *
 * @param interfaceName the uplink, used to label logs and timers
 * @param duid the client's DUID, stable across restarts
 * @param iaids one IA_PD per IAID; each is an independent lease, all renewed in one exchange
 * @param prefixLengthHint prefix length asked for in Solicit (RFC 8415 §18.2.4), 0 for no hint
 * @param rapidCommit whether Solicit offers the two-message exchange (RFC 8415 §21.14)
 * @param initialDelay whether the first Solicit waits a random 0..SOL_MAX_DELAY (RFC 8415 §18.2.1)
 */
public record Dhcp6ClientConfig(
        String interfaceName, Duid duid, List<Long> iaids, int prefixLengthHint, boolean rapidCommit,
        boolean initialDelay) {

    public Dhcp6ClientConfig {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(duid, "duid");
        iaids = List.copyOf(iaids);
        if (iaids.isEmpty()) {
            throw new IllegalArgumentException("at least one IAID is needed");
        }
        if (new HashSet<>(iaids).size() != iaids.size()) {
            throw new IllegalArgumentException("IAIDs must be unique: " + iaids);
        }
        for (long iaid : iaids) {
            if (iaid < 0 || iaid > 0xffff_ffffL) {
                throw new IllegalArgumentException("IAID " + iaid + " is not an unsigned 32-bit value");
            }
        }
        if (prefixLengthHint < 0 || prefixLengthHint > 128) {
            throw new IllegalArgumentException("prefix length hint " + prefixLengthHint + " outside 0..128");
        }
    }
}
