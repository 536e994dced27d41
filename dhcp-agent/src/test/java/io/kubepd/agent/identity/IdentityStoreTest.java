package io.kubepd.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.lease.StateDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityStoreTest {

    private static final HardwareAddress MAC = HardwareAddress.parse(1, "02:42:ac:11:00:02");
    private static final UUID FIXED = UUID.fromString("9f2a3b4c-5d6e-4f70-8192-a3b4c5d6e7f8");
    private static final Supplier<UUID> NO_UUID = () -> {
        throw new AssertionError("no UUID expected");
    };

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

    private IdentityStore load(DuidKind kind, Optional<HardwareAddress> mac, Supplier<UUID> uuids) throws IOException {
        return IdentityStore.loadOrCreate(state, Clock.systemUTC(), kind, mac, uuids);
    }

    @Test
    void duidLlIsTypeHardwareTypeAndMac() throws IOException {
        IdentityStore store = load(DuidKind.LL, Optional.of(MAC), NO_UUID);
        // 0003 = DUID-LL, 0001 = Ethernet, then the MAC (RFC 8415 §11.4)
        assertThat(HexFormat.of().formatHex(store.duid().bytes())).isEqualTo("0003" + "0001" + "0242ac110002");
    }

    @Test
    void duidUuidIsTypeAndUuidBytes() throws IOException {
        IdentityStore store = load(DuidKind.UUID, Optional.of(MAC), () -> FIXED);
        // 0004 = DUID-UUID (RFC 6355), then the 16 UUID bytes in network order
        assertThat(HexFormat.of().formatHex(store.duid().bytes())).isEqualTo("0004" + "9f2a3b4c5d6e4f708192a3b4c5d6e7f8");
    }

    @Test
    void duidLlWithoutUsableMacFallsBackToUuid() throws IOException {
        IdentityStore store = load(DuidKind.LL, Optional.of(HardwareAddress.parse(772, "00:00:00:00:00:00")),
                () -> FIXED);
        assertThat(HexFormat.of().formatHex(store.duid().bytes())).startsWith("0004");
    }

    @Test
    void storedDuidSurvivesRestartEvenIfTheMacOrKindChanged() throws IOException {
        Duid first = load(DuidKind.LL, Optional.of(MAC), NO_UUID).duid();
        IdentityStore again = load(DuidKind.UUID, Optional.of(HardwareAddress.parse(1, "02:00:00:00:00:99")), NO_UUID);
        assertThat(again.duid()).isEqualTo(first);
    }

    @Test
    void iaidIsStableAcrossRestartsAndIndependentOfOrder() throws IOException {
        IdentityStore store = load(DuidKind.LL, Optional.of(MAC), NO_UUID);
        long eth0 = store.iaid("eth0");
        long eth1 = store.iaid("eth1");
        assertThat(eth0).isNotEqualTo(eth1);
        assertThat(store.iaid("eth0")).isEqualTo(eth0);

        IdentityStore restarted = load(DuidKind.LL, Optional.of(MAC), NO_UUID);
        assertThat(restarted.iaid("eth1")).isEqualTo(eth1);
        assertThat(restarted.iaid("eth0")).isEqualTo(eth0);
        // Derived from the name, so a host whose state dir was wiped still asks with the same IAID.
        assertThat(eth0).isEqualTo(IdentityStore.nameHash("eth0"));
    }

    @Test
    void severalIaPdsOnOneInterfaceKeepTheirIaidsWhenTheCountChanges() throws IOException {
        IdentityStore store = load(DuidKind.LL, Optional.of(MAC), NO_UUID);
        List<Long> three = store.iaids("eth0", 3);
        assertThat(three).hasSize(3).doesNotHaveDuplicates().startsWith(store.iaid("eth0"));
        assertThat(three.get(1)).isEqualTo(IdentityStore.nameHash("eth0/1"));

        IdentityStore restarted = load(DuidKind.LL, Optional.of(MAC), NO_UUID);
        assertThat(restarted.iaids("eth0", 2)).containsExactlyElementsOf(three.subList(0, 2));
        assertThat(restarted.iaids("eth0", 4)).startsWith(three.toArray(Long[]::new)).hasSize(4);
        assertThatThrownBy(() -> restarted.iaids("eth0", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void iaidCollisionIsResolvedWithoutMovingTheExistingOne() throws IOException {
        long eth0Hash = IdentityStore.nameHash("eth0");
        Files.writeString(state.identityFile(), """
                {"version": 1, "duid": "00:03:00:01:02:42:ac:11:00:02", "iaids": {"other": %d}}
                """.formatted(eth0Hash));
        IdentityStore store = load(DuidKind.LL, Optional.of(MAC), NO_UUID);
        assertThat(store.iaid("eth0")).isEqualTo((eth0Hash + 1) & 0xFFFF_FFFFL);
        assertThat(store.iaid("other")).isEqualTo(eth0Hash);
    }

    @Test
    void corruptIdentityFileIsMovedAsideAndANewIdentityCreated() throws IOException {
        Files.writeString(state.identityFile(), "{\"version\": 1, \"duid\": \"zz\"}");
        IdentityStore store = load(DuidKind.LL, Optional.of(MAC), NO_UUID);
        assertThat(HexFormat.of().formatHex(store.duid().bytes())).isEqualTo("000300010242ac110002");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("identity.json.corrupt-"));
        }
    }
}
