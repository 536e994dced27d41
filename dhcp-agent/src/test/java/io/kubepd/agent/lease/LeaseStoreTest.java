package io.kubepd.agent.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    private static StoredLease lease(StoredPrefix... prefixes) {
        return StoredLease.of("eth0", 0x1234, "00:01:00:01:aa:bb", T0, 1800, 2880, List.of(prefixes));
    }

    @Test
    void savedLeaseLoadsWithTheElapsedTimeTakenOff() throws IOException {
        storeAt(T0).save(lease(new StoredPrefix("2001:db8:100::", 56, 3600, 7200)));

        StoredLease loaded = storeAt(T0.plusSeconds(1000)).load().orElseThrow();

        assertThat(loaded.obtained()).isEqualTo(T0.plusSeconds(1000));
        assertThat(loaded.t1()).isEqualTo(800);
        assertThat(loaded.t2()).isEqualTo(1880);
        assertThat(loaded.prefixes()).containsExactly(new StoredPrefix("2001:db8:100::", 56, 2600, 6200));
        assertThat(loaded.iaid()).isEqualTo(0x1234);
        assertThat(loaded.serverDuid()).isEqualTo("00:01:00:01:aa:bb");
    }

    @Test
    void expiredPrefixesAreDroppedAndAFullyExpiredLeaseIsNone() throws IOException {
        storeAt(T0).save(lease(new StoredPrefix("2001:db8:100::", 56, 100, 200),
                new StoredPrefix("2001:db8:200::", 56, 3600, 7200)));

        assertThat(storeAt(T0.plusSeconds(500)).load().orElseThrow().prefixes())
                .extracting(StoredPrefix::prefix).containsExactly("2001:db8:200::");
        assertThat(storeAt(T0.plusSeconds(7200)).load()).isEmpty();
    }

    @Test
    void infiniteLifetimesStayInfinite() throws IOException {
        storeAt(T0).save(lease(new StoredPrefix("2001:db8:100::", 56, StoredLease.INFINITY, StoredLease.INFINITY)));
        StoredPrefix p = storeAt(T0.plusSeconds(1_000_000)).load().orElseThrow().prefixes().get(0);
        assertThat(p.preferredLifetime()).isEqualTo(StoredLease.INFINITY);
        assertThat(p.validLifetime()).isEqualTo(StoredLease.INFINITY);
    }

    @Test
    void clockGoingBackwardsDoesNotExtendTheLease() throws IOException {
        storeAt(T0).save(lease(new StoredPrefix("2001:db8:100::", 56, 3600, 7200)));
        StoredLease loaded = storeAt(T0.minusSeconds(600)).load().orElseThrow();
        assertThat(loaded.prefixes().get(0).validLifetime()).isEqualTo(7200);
    }

    @Test
    void fileIsReadableJsonNamedAfterTheInterface() throws IOException {
        storeAt(T0).save(lease(new StoredPrefix("2001:db8:100::", 56, 3600, 7200)));
        assertThat(Files.readString(dir.resolve("lease-eth0.json")))
                .contains("\"interface\" : \"eth0\"")
                .contains("\"obtainedAt\" : \"2025-01-01T00:00:00Z\"")
                .contains("\"prefix\" : \"2001:db8:100::\"");
    }

    @Test
    void corruptLeaseFileIsMovedAsideAndTheAgentStartsFresh() throws IOException {
        Files.writeString(dir.resolve("lease-eth0.json"), "{\"version\": 1, \"interface\": \"eth0\", \"iaid\": -5}");
        assertThat(storeAt(T0).load()).isEmpty();
        assertThat(dir.resolve("lease-eth0.json.corrupt-20250101T000000.000Z")).exists();
        storeAt(T0).save(lease(new StoredPrefix("2001:db8:100::", 56, 3600, 7200)));
        assertThat(storeAt(T0).load()).isPresent();
    }

    @Test
    void leaseOfAnotherInterfaceIsIgnored() throws IOException {
        Files.writeString(dir.resolve("lease-eth0.json"), """
                {"version": 1, "interface": "eth1", "iaid": 1, "serverDuid": "00:01", "obtainedAt": "%s",
                 "t1": 10, "t2": 20, "prefixes": [{"prefix": "2001:db8::", "length": 56,
                 "preferredLifetime": 30, "validLifetime": 40}]}
                """.formatted(T0));
        assertThat(storeAt(T0).load()).isEmpty();
        assertThatThrownBy(() -> storeAt(T0).save(StoredLease.of("eth1", 1, "00:01", T0, 1, 2, List.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clearRemovesTheLease() throws IOException {
        storeAt(T0).save(lease(new StoredPrefix("2001:db8:100::", 56, 3600, 7200)));
        storeAt(T0).clear();
        assertThat(storeAt(T0).load()).isEmpty();
    }
}
