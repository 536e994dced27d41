package io.kubepd.agent.identity;

import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.lease.JsonStateFile;
import io.kubepd.agent.lease.StateDirectory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's DHCPv6 identity: one DUID for all uplinks and one IAID per uplink, generated on first use and kept in
 * the state directory so that a restarted agent asks for (and gets) the same prefix.
 *
 * <p>IAIDs follow RFC 9096 WPD-10 (stable across restarts): derived from the interface name, not the ifindex, which
 * changes when an interface is recreated, and stored once handed out, so a later collision resolution never moves
 * an existing IAID.
 */
public final class IdentityStore {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityStore.class);
    private static final int DUID_LL = 3;

    private final JsonStateFile<IdentityDocument> file;
    private final Duid duid;
    private final Map<String, Long> iaids;

    private IdentityStore(JsonStateFile<IdentityDocument> file, Duid duid, Map<String, Long> iaids) {
        this.file = file;
        this.duid = duid;
        this.iaids = iaids;
    }

    /**
     * Loads the stored identity or creates one.
     *
     * @param clock wall clock, for naming a corrupt identity file moved aside
     * @param kind the DUID type to create when none is stored; a stored DUID always wins
     * @param uplink hardware address of the first uplink, for DUID-LL; empty or all-zero falls back to DUID-UUID
     * @param uuids source of the UUID for DUID-UUID
     */
    public static IdentityStore loadOrCreate(StateDirectory stateDir, Clock clock, DuidKind kind,
            Optional<HardwareAddress> uplink, Supplier<UUID> uuids) throws IOException {
        JsonStateFile<IdentityDocument> file = JsonStateFile.of(stateDir.identityFile(), IdentityDocument.class, clock);
        Optional<IdentityDocument> stored = file.read();
        if (stored.isPresent()) {
            IdentityDocument doc = stored.get();
            IdentityStore store = new IdentityStore(file, Duid.parse(doc.duid()), new TreeMap<>(doc.iaids()));
            LOG.info("using stored DUID {} from {}", doc.duid(), file.path());
            return store;
        }
        Duid duid = switch (kind) {
            case LL -> uplink.filter(HardwareAddress::isUsable)
                    .map(IdentityStore::duidLl)
                    .orElseGet(() -> {
                        LOG.warn("no usable hardware address on the uplink for a DUID-LL;"
                                + " generating a DUID-UUID instead");
                        return Duid.uuid(uuids.get());
                    });
            case UUID -> Duid.uuid(uuids.get());
        };
        IdentityStore store = new IdentityStore(file, duid, new TreeMap<>());
        store.persist();
        LOG.info("generated DUID {} and stored it in {}", duid, file.path());
        return store;
    }

    /** The DUID, as sent in the Client Identifier option. */
    public Duid duid() {
        return duid;
    }

    /**
     * The IAID (unsigned 32 bit) of an interface: the stored one, or a new one derived from its name and stored before
     * it is returned.
     */
    public synchronized long iaid(String interfaceName) throws IOException {
        Long known = iaids.get(interfaceName);
        if (known != null) {
            return known;
        }
        Set<Long> taken = new HashSet<>(iaids.values());
        long candidate = nameHash(interfaceName);
        while (taken.contains(candidate)) {
            candidate = (candidate + 1) & 0xFFFF_FFFFL;
        }
        iaids.put(interfaceName, candidate);
        persist();
        LOG.info("assigned IAID {} to interface {}", Long.toHexString(candidate), interfaceName);
        return candidate;
    }

    /**
     * The IAIDs of {@code count} IA_PDs on one interface: the first is {@link #iaid(String)}, each further one is
     * stored under {@code <interface>/<n>} (a name no interface can have), so each IA_PD keeps its IAID, and so its
     * prefix, across restarts and when the count changes.
     */
    public synchronized List<Long> iaids(String interfaceName, int count) throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("an interface has at least one IA_PD, not " + count);
        }
        List<Long> ids = new ArrayList<>();
        ids.add(iaid(interfaceName));
        for (int n = 1; n < count; n++) {
            ids.add(iaid(interfaceName + "/" + n));
        }
        return ids;
    }

    private void persist() throws IOException {
        file.write(new IdentityDocument(IdentityDocument.CURRENT_VERSION, duid.toString(), iaids));
    }

    /** DUID-LL (RFC 8415 §11.4) with the interface's own hardware type, which need not be Ethernet. */
    static Duid duidLl(HardwareAddress hw) {
        byte[] mac = hw.bytes();
        return Duid.of(ByteBuffer.allocate(4 + mac.length)
                .putShort((short) DUID_LL)
                .putShort((short) hw.type())
                .put(mac)
                .array());
    }

    static long nameHash(String interfaceName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("kubepd-iaid:" + interfaceName).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getInt() & 0xFFFF_FFFFL;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
