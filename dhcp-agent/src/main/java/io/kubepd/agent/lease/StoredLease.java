package io.kubepd.agent.lease;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.kubepd.agent.client.DnsConfig;
import io.kubepd.agent.client.Lease;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The on-disk form of one {@link Lease}. Kept apart from {@code Lease} so that the file format changes only on
 * purpose (with {@link LeaseDocument#version()}), not whenever the client's record does; instants are ISO-8601 text.
 * {@code excludedPrefix}, {@code dnsServers} and {@code domainSearchList} came later without a new version: files
 * without them read as excluding nothing and carrying no DNS configuration, and they are left out when empty, so
 * agents that predate them read the files this one writes.
 */
record StoredLease(
        @JsonProperty("iaid") long iaid,
        @JsonProperty("prefix") String prefix,
        @JsonProperty("prefixLength") int prefixLength,
        @JsonProperty("excludedPrefix") @JsonInclude(JsonInclude.Include.NON_NULL) String excludedPrefix,
        @JsonProperty("preferredLifetime") long preferredLifetime,
        @JsonProperty("validLifetime") long validLifetime,
        @JsonProperty("t1") long t1,
        @JsonProperty("t2") long t2,
        @JsonProperty("serverDuid") String serverDuid,
        @JsonProperty("obtainedAt") String obtainedAt,
        @JsonProperty("renewedAt") String renewedAt,
        @JsonProperty("expiresAt") String expiresAt,
        @JsonProperty("state") Lease.State state,
        @JsonProperty("dnsServers") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> dnsServers,
        @JsonProperty("domainSearchList") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> domainSearchList) {

    StoredLease {
        Objects.requireNonNull(obtainedAt, "obtainedAt");
        Objects.requireNonNull(renewedAt, "renewedAt");
        // Validates every field, so that a bad file is rejected as a whole when it is read.
        toLease(iaid, prefix, prefixLength, excludedPrefix, preferredLifetime, validLifetime, t1, t2, serverDuid,
                obtainedAt, renewedAt, expiresAt, state, dnsServers, domainSearchList);
    }

    static StoredLease of(Lease lease) {
        return new StoredLease(lease.iaid(), lease.prefix(), lease.prefixLength(), lease.excludedPrefix(),
                lease.preferredLifetime(), lease.validLifetime(), lease.t1(), lease.t2(), lease.serverDuid(),
                lease.obtainedAt().toString(), lease.renewedAt().toString(),
                lease.expiresAt() == null ? null : lease.expiresAt().toString(), lease.state(), lease.dns().servers(),
                lease.dns().searchList());
    }

    Lease toLease() {
        return toLease(iaid, prefix, prefixLength, excludedPrefix, preferredLifetime, validLifetime, t1, t2, serverDuid,
                obtainedAt, renewedAt, expiresAt, state, dnsServers, domainSearchList);
    }

    private static Lease toLease(long iaid, String prefix, int prefixLength, String excludedPrefix,
            long preferredLifetime, long validLifetime, long t1, long t2, String serverDuid, String obtainedAt,
            String renewedAt, String expiresAt, Lease.State state, List<String> dnsServers,
            List<String> domainSearchList) {
        return new Lease(iaid, prefix, prefixLength, excludedPrefix, preferredLifetime, validLifetime, t1, t2,
                serverDuid, Instant.parse(obtainedAt), Instant.parse(renewedAt),
                expiresAt == null ? null : Instant.parse(expiresAt), state,
                new DnsConfig(dnsServers, domainSearchList));
    }
}
