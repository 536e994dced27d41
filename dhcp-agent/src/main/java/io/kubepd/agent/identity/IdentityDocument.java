package io.kubepd.agent.identity;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kubepd.agent.codec.Duid;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The JSON form of the host identity: the DUID as hex and the IAID of every interface seen so far.
 *
 * @param version schema version, for a future migration
 * @param duid the DUID as colon-separated hex, the form Kea's lease database shows
 * @param iaids IAID (unsigned 32 bit) by interface name
 */
record IdentityDocument(
        @JsonProperty("version") int version,
        @JsonProperty("duid") String duid,
        @JsonProperty("iaids") Map<String, Long> iaids) {

    static final int CURRENT_VERSION = 1;

    IdentityDocument {
        if (version != CURRENT_VERSION) {
            throw new IllegalArgumentException("unsupported identity version " + version);
        }
        // Parsing validates hex and length (RFC 8415 §11.1), so a damaged file is rejected when it is read.
        Duid.parse(Objects.requireNonNull(duid, "duid"));
        iaids = new TreeMap<>(iaids == null ? Map.of() : iaids);
        for (Map.Entry<String, Long> e : iaids.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0 || e.getValue() > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("IAID of " + e.getKey() + " out of range: " + e.getValue());
            }
        }
        iaids = Collections.unmodifiableMap(iaids);
    }
}
