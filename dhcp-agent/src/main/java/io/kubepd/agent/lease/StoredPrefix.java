package io.kubepd.agent.lease;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One delegated prefix of a {@link StoredLease}.
 *
 * @param prefix the prefix address in RFC 5952 text, e.g. {@code 2001:db8:100::}
 * @param length prefix length, e.g. 56
 * @param preferredLifetime seconds, {@link StoredLease#INFINITY} for ever
 * @param validLifetime seconds, {@link StoredLease#INFINITY} for ever
 */
public record StoredPrefix(
        @JsonProperty("prefix") String prefix,
        @JsonProperty("length") int length,
        @JsonProperty("preferredLifetime") long preferredLifetime,
        @JsonProperty("validLifetime") long validLifetime) {

    public StoredPrefix {
        Objects.requireNonNull(prefix, "prefix");
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("prefix length " + length + " outside 0..128");
        }
        StoredLease.checkUint32(preferredLifetime, "preferredLifetime");
        StoredLease.checkUint32(validLifetime, "validLifetime");
    }
}
