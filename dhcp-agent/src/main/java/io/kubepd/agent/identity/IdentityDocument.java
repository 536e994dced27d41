package io.kubepd.agent.identity;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The JSON form of the host identity: the DUID as hex and the IAID of every interface seen so far.
 *
 * @param version schema version, for a future migration
 * @param duid the DUID in hex, without separators
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
        Objects.requireNonNull(duid, "duid");
        byte[] bytes = HexFormat.of().parseHex(duid);
        // RFC 8415 §11.1: a DUID is 2 bytes of type plus at most 128 bytes.
        if (bytes.length < 3 || bytes.length > 130) {
            throw new IllegalArgumentException("DUID of " + bytes.length + " bytes");
        }
        iaids = new TreeMap<>(iaids == null ? Map.of() : iaids);
        for (Map.Entry<String, Long> e : iaids.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0 || e.getValue() > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("IAID of " + e.getKey() + " out of range: " + e.getValue());
            }
        }
        iaids = Collections.unmodifiableMap(iaids);
    }
}
