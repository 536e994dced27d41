package io.kubepd.agent.lease;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

/**
 * The persisted form of one uplink's IA_PD lease: what a restarted agent needs to Rebind for the same prefixes.
 * Lifetimes are the server's values at {@link #obtainedAt()} (wall clock, because monotonic time does not survive a
 * reboot); {@link #remainingAt} turns them into what is left.
 *
 * @param version schema version, for a future migration
 * @param interfaceName the uplink
 * @param iaid IAID of the IA_PD (unsigned 32 bit)
 * @param serverDuid DUID of the server that granted the lease, colon-separated hex
 * @param obtainedAt ISO-8601 instant of the Reply that last granted or extended the lease
 * @param t1 seconds after {@code obtainedAt} to Renew
 * @param t2 seconds after {@code obtainedAt} to Rebind
 * @param prefixes the delegated prefixes
 */
public record StoredLease(
        @JsonProperty("version") int version,
        @JsonProperty("interface") String interfaceName,
        @JsonProperty("iaid") long iaid,
        @JsonProperty("serverDuid") String serverDuid,
        @JsonProperty("obtainedAt") String obtainedAt,
        @JsonProperty("t1") long t1,
        @JsonProperty("t2") long t2,
        @JsonProperty("prefixes") List<StoredPrefix> prefixes) {

    public static final int CURRENT_VERSION = 1;
    /** The all-ones lifetime that means "for ever" (RFC 8415 §7.7). */
    public static final long INFINITY = 0xFFFF_FFFFL;

    public StoredLease {
        if (version != CURRENT_VERSION) {
            throw new IllegalArgumentException("unsupported lease version " + version);
        }
        Objects.requireNonNull(interfaceName, "interface");
        Objects.requireNonNull(serverDuid, "serverDuid");
        checkUint32(iaid, "iaid");
        checkUint32(t1, "t1");
        checkUint32(t2, "t2");
        try {
            Instant.parse(Objects.requireNonNull(obtainedAt, "obtainedAt"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("obtainedAt is not an ISO-8601 instant: " + obtainedAt, e);
        }
        prefixes = List.copyOf(Objects.requireNonNull(prefixes, "prefixes"));
    }

    /** A lease in the current schema. */
    public static StoredLease of(String interfaceName, long iaid, String serverDuid, Instant obtainedAt, long t1,
            long t2, List<StoredPrefix> prefixes) {
        return new StoredLease(CURRENT_VERSION, interfaceName, iaid, serverDuid, obtainedAt.toString(), t1, t2,
                prefixes);
    }

    @JsonIgnore
    public Instant obtained() {
        return Instant.parse(obtainedAt);
    }

    /**
     * The lease as it stands at {@code now}: lifetimes and timers reduced by the time since it was obtained (infinite
     * ones stay infinite), prefixes whose valid lifetime ran out removed. Empty prefixes mean nothing is left.
     */
    public StoredLease remainingAt(Instant now) {
        long elapsed = Math.max(0, now.getEpochSecond() - obtained().getEpochSecond());
        List<StoredPrefix> left = prefixes.stream()
                .filter(p -> p.validLifetime() == INFINITY || p.validLifetime() > elapsed)
                .map(p -> new StoredPrefix(p.prefix(), p.length(), minus(p.preferredLifetime(), elapsed),
                        minus(p.validLifetime(), elapsed)))
                .toList();
        return new StoredLease(version, interfaceName, iaid, serverDuid, now.toString(), minus(t1, elapsed),
                minus(t2, elapsed), left);
    }

    private static long minus(long lifetime, long elapsed) {
        return lifetime == INFINITY ? INFINITY : Math.max(0, lifetime - elapsed);
    }

    static void checkUint32(long value, String name) {
        if (value < 0 || value > INFINITY) {
            throw new IllegalArgumentException(name + " " + value + " is not an unsigned 32-bit value");
        }
    }
}
