package io.kubepd.agent.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.agent.client.DnsConfig;
import io.kubepd.agent.client.Lease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseStoreTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @TempDir
    Path dir;
    private StateDirectory state;

    @BeforeEach
    void open() throws IOException {
        state = StateDirectory.open(dir);
    }

    @AfterEach
    void close() throws IOException {
        state.close();
    }

    private LeaseStore storeAt(Instant now) {
        return new LeaseStore(state, "eth0", Clock.fixed(now, ZoneOffset.UTC));
    }

    private static Lease lease(String prefix, long valid, Lease.State leaseState) {
        return new Lease(0x1234, prefix, 56, null, valid / 2, valid, valid / 4, valid / 2, "00:01:00:01:aa:bb", T0, T0,
                valid == Lease.INFINITE ? null : T0.plusSeconds(valid), leaseState);
    }

    @Test
    void savedLeasesLoadUnchanged() throws IOException {
        Lease active = lease("2001:db8:100::", 7200, Lease.State.ACTIVE);
        Lease draining = lease("2001:db8:200::", 3600, Lease.State.DRAINING);
        storeAt(T0).save(List.of(active, draining));

        assertThat(storeAt(T0.plusSeconds(1000)).load()).containsExactly(active, draining);
    }

    @Test
    void expiredLeasesAreNotRestored() throws IOException {
        storeAt(T0).save(List.of(lease("2001:db8:100::", 200, Lease.State.ACTIVE),
                lease("2001:db8:200::", 7200, Lease.State.ACTIVE)));

        assertThat(storeAt(T0.plusSeconds(500)).load()).extracting(Lease::prefix).containsExactly("2001:db8:200::");
        assertThat(storeAt(T0.plusSeconds(7200)).load()).isEmpty();
    }

    @Test
    void infiniteLeasesNeverExpire() throws IOException {
        Lease forever = lease("2001:db8:100::", Lease.INFINITE, Lease.State.ACTIVE);
        storeAt(T0).save(List.of(forever));
        assertThat(storeAt(T0.plusSeconds(100_000_000)).load()).containsExactly(forever);
    }

    @Test
    void onlyHeldLeasesAreSavedAndNoneHeldRemovesTheFile() throws IOException {
        storeAt(T0).save(List.of(lease("2001:db8:100::", 7200, Lease.State.RELEASED),
                lease("2001:db8:200::", 7200, Lease.State.ACTIVE)));
        assertThat(storeAt(T0).load()).extracting(Lease::prefix).containsExactly("2001:db8:200::");

        storeAt(T0).save(List.of(lease("2001:db8:200::", 7200, Lease.State.EXPIRED)));
        assertThat(dir.resolve("lease-eth0.json")).doesNotExist();
        assertThat(storeAt(T0).load()).isEmpty();
    }

    @Test
    void anExcludedPrefixIsSavedAndLoaded() throws IOException {
        Lease lease = new Lease(0x1234, "2001:db8:100::", 56, "2001:db8:100::/64", 3600, 7200, 1800, 3600,
                "00:01:00:01:aa:bb", T0, T0, T0.plusSeconds(7200), Lease.State.ACTIVE);
        storeAt(T0).save(List.of(lease, lease("2001:db8:200::", 7200, Lease.State.DRAINING)));

        assertThat(Files.readString(dir.resolve("lease-eth0.json")))
                .contains("\"excludedPrefix\" : \"2001:db8:100::/64\"")
                .as("left out when there is none, so that older agents read the file as before")
                .containsOnlyOnce("excludedPrefix");
        assertThat(storeAt(T0).load()).containsExactly(lease, lease("2001:db8:200::", 7200, Lease.State.DRAINING));
    }

    @Test
    void theDnsConfigurationIsSavedAndLoadedAndLeftOutWhenEmpty() throws IOException {
        Lease lease = new Lease(0x1234, "2001:db8:100::", 56, null, 3600, 7200, 1800, 3600, "00:01:00:01:aa:bb", T0,
                T0, T0.plusSeconds(7200), Lease.State.ACTIVE, new DnsConfig(List.of("2001:db8::53", "2001:db8::35"), List.of("example.net")));
        storeAt(T0).save(List.of(lease, lease("2001:db8:200::", 7200, Lease.State.DRAINING)));

        assertThat(Files.readString(dir.resolve("lease-eth0.json")))
                .containsOnlyOnce("dnsServers").containsOnlyOnce("domainSearchList").contains("2001:db8::35");
        assertThat(storeAt(T0).load()).containsExactly(lease, lease("2001:db8:200::", 7200, Lease.State.DRAINING));
    }

    @Test
    void aFileFromBeforeExcludedPrefixesReadsAsExcludingNothing() throws IOException {
        Files.writeString(dir.resolve("lease-eth0.json"), """
                {"version": 1, "interface": "eth0", "leases": [{"iaid": 4660, "prefix": "2001:db8:100::",
                 "prefixLength": 56, "preferredLifetime": 3600, "validLifetime": 7200, "t1": 1800, "t2": 3600,
                 "serverDuid": "00:01:00:01:aa:bb", "obtainedAt": "2025-01-01T00:00:00Z",
                 "renewedAt": "2025-01-01T00:00:00Z", "expiresAt": "2025-01-01T02:00:00Z", "state": "ACTIVE"}]}
                """);
        assertThat(storeAt(T0).load()).containsExactly(lease("2001:db8:100::", 7200, Lease.State.ACTIVE));
    }

    @Test
    void aFileWithAnExcludedPrefixOutsideTheLeaseIsCorrupt() throws IOException {
        Files.writeString(dir.resolve("lease-eth0.json"), """
                {"version": 1, "interface": "eth0", "leases": [{"iaid": 4660, "prefix": "2001:db8:100::",
                 "prefixLength": 56, "excludedPrefix": "2001:db8:200::/64", "preferredLifetime": 3600,
                 "validLifetime": 7200, "t1": 1800, "t2": 3600, "serverDuid": "00:01:00:01:aa:bb",
                 "obtainedAt": "2025-01-01T00:00:00Z", "renewedAt": "2025-01-01T00:00:00Z",
                 "expiresAt": "2025-01-01T02:00:00Z", "state": "ACTIVE"}]}
                """);
        assertThat(storeAt(T0).load()).isEmpty();
        assertThat(dir.resolve("lease-eth0.json.corrupt-20250101T000000.000Z")).exists();
    }

    @Test
    void fileIsReadableJsonNamedAfterTheInterface() throws IOException {
        storeAt(T0).save(List.of(lease("2001:db8:100::", 7200, Lease.State.ACTIVE)));
        assertThat(Files.readString(dir.resolve("lease-eth0.json")))
                .contains("\"interface\" : \"eth0\"")
                .contains("\"prefix\" : \"2001:db8:100::\"")
                .contains("\"expiresAt\" : \"2025-01-01T02:00:00Z\"")
                .contains("\"state\" : \"ACTIVE\"");
    }

    @Test
    void corruptLeaseFileIsMovedAsideAndTheAgentStartsFresh() throws IOException {
        // Valid JSON, invalid lease: a prefix that is no IPv6 address.
        Files.writeString(dir.resolve("lease-eth0.json"), """
                {"version": 1, "interface": "eth0", "leases": [{"iaid": 1, "prefix": "not-an-address",
                 "prefixLength": 56, "preferredLifetime": 30, "validLifetime": 40, "t1": 10, "t2": 20,
                 "serverDuid": "00:01", "obtainedAt": "2025-01-01T00:00:00Z", "renewedAt": "2025-01-01T00:00:00Z",
                 "expiresAt": "2025-01-01T00:00:40Z", "state": "ACTIVE"}]}
                """);
        assertThat(storeAt(T0).load()).isEmpty();
        assertThat(dir.resolve("lease-eth0.json.corrupt-20250101T000000.000Z")).exists();
        assertThat(dir.resolve("lease-eth0.json")).doesNotExist();

        Lease fresh = lease("2001:db8:100::", 7200, Lease.State.ACTIVE);
        storeAt(T0).save(List.of(fresh));
        assertThat(storeAt(T0).load()).containsExactly(fresh);
    }

    @Test
    void truncatedLeaseFileIsMovedAside() throws IOException {
        storeAt(T0).save(List.of(lease("2001:db8:100::", 7200, Lease.State.ACTIVE)));
        Path file = dir.resolve("lease-eth0.json");
        String json = Files.readString(file);
        Files.writeString(file, json.substring(0, json.length() / 2));
        assertThat(storeAt(T0).load()).isEmpty();
        assertThat(dir.resolve("lease-eth0.json.corrupt-20250101T000000.000Z")).exists();
    }

    @Test
    void leasesOfAnotherInterfaceAreIgnored() throws IOException {
        new LeaseStore(state, "eth1", Clock.fixed(T0, ZoneOffset.UTC))
                .save(List.of(lease("2001:db8:100::", 7200, Lease.State.ACTIVE)));
        Files.move(dir.resolve("lease-eth1.json"), dir.resolve("lease-eth0.json"));
        assertThat(storeAt(T0).load()).isEmpty();
    }
}
