package io.kubepd.agent.lease;

import io.kubepd.agent.client.Lease;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leases of one uplink on disk ({@code lease-IF.json} in the state directory): replaced atomically on every
 * change, loaded once at start so that a restarted agent can Rebind for the same prefixes.
 */
public final class LeaseStore {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseStore.class);
    // Expired, withdrawn and released prefixes are over: nothing to restore.
    private static final Set<Lease.State> HELD = EnumSet.of(Lease.State.ACTIVE, Lease.State.DRAINING);

    private final String interfaceName;
    private final JsonStateFile<LeaseDocument> file;
    private final Clock wallClock;

    public LeaseStore(StateDirectory stateDir, String interfaceName, Clock wallClock) {
        this.interfaceName = interfaceName;
        this.file = JsonStateFile.of(stateDir.leaseFile(interfaceName), LeaseDocument.class, wallClock);
        this.wallClock = wallClock;
    }

    /**
     * The stored leases that are still valid now. A file written for another interface (renamed by hand) is ignored
     * with a log line; a corrupt one is moved aside.
     */
    public List<Lease> load() throws IOException {
        Optional<LeaseDocument> stored = file.read();
        if (stored.isEmpty()) {
            return List.of();
        }
        LeaseDocument doc = stored.get();
        if (!doc.interfaceName().equals(interfaceName)) {
            LOG.warn("{}: ignoring {}, it holds the leases of interface {}", interfaceName, file.path(),
                    doc.interfaceName());
            return List.of();
        }
        Instant now = wallClock.instant();
        List<Lease> valid = doc.leases().stream()
                .map(StoredLease::toLease)
                .filter(l -> HELD.contains(l.state()))
                .filter(l -> l.expiresAt() == null || l.expiresAt().isAfter(now))
                .toList();
        if (valid.size() < doc.leases().size()) {
            LOG.info("{}: {} of {} stored prefixes have expired", interfaceName, doc.leases().size() - valid.size(),
                    doc.leases().size());
        }
        return valid;
    }

    /** Maps {@code leases} to the file's JSON and back as {@link #save} and {@link #load} do, writing no file. */
    public static void warmUp(String interfaceName, Collection<Lease> leases) throws IOException {
        JsonStateFile.roundTrip(document(interfaceName, leases), LeaseDocument.class).leases()
                .forEach(StoredLease::toLease);
    }

    /** Replaces the stored leases with the held ones among {@code leases}; none held clears the file. */
    public void save(Collection<Lease> leases) throws IOException {
        LeaseDocument held = document(interfaceName, leases);
        if (held.leases().isEmpty()) {
            file.delete();
            return;
        }
        file.write(held);
    }

    // Shared by save() and warmUp(), so that the warm-up links the lambdas the first real save runs.
    private static LeaseDocument document(String interfaceName, Collection<Lease> leases) {
        return new LeaseDocument(LeaseDocument.CURRENT_VERSION, interfaceName,
                leases.stream().filter(l -> HELD.contains(l.state())).map(StoredLease::of).toList());
    }
}
