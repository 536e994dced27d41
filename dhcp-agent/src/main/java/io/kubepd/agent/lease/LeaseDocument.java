package io.kubepd.agent.lease;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * The JSON document of {@code lease-IF.json}: the prefixes one uplink holds.
 *
 * @param version schema version, for a future migration
 * @param interfaceName the uplink the leases were obtained on
 * @param leases every held prefix, active or draining
 */
record LeaseDocument(
        @JsonProperty("version") int version,
        @JsonProperty("interface") String interfaceName,
        @JsonProperty("leases") List<StoredLease> leases) {

    static final int CURRENT_VERSION = 1;

    LeaseDocument {
        if (version != CURRENT_VERSION) {
            throw new IllegalArgumentException("unsupported lease file version " + version);
        }
        Objects.requireNonNull(interfaceName, "interface");
        leases = List.copyOf(Objects.requireNonNull(leases, "leases"));
    }
}
