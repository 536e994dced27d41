package io.kubepd.agent.lease;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease of one uplink on disk ({@code lease-IF.json} in the state directory): saved atomically on every change,
 * loaded once at start with the time since it was saved taken off.
 */
public final class LeaseStore {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseStore.class);

    private final String interfaceName;
    private final JsonStateFile<StoredLease> file;
    private final Clock wallClock;

    public LeaseStore(StateDirectory stateDir, String interfaceName, Clock wallClock) {
        this.interfaceName = interfaceName;
        this.file = JsonStateFile.of(stateDir.leaseFile(interfaceName), StoredLease.class, wallClock);
        this.wallClock = wallClock;
    }

    /**
     * The stored lease with what is left of it now, if any prefix is still valid. A lease stored for another interface
     * (a renamed file) or with nothing valid left is ignored with a log line.
     */
    public Optional<StoredLease> load() throws IOException {
        Optional<StoredLease> stored = file.read();
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        StoredLease lease = stored.get();
        if (!lease.interfaceName().equals(interfaceName)) {
            LOG.warn("{}: ignoring {}, it holds a lease of interface {}", interfaceName, file.path(),
                    lease.interfaceName());
            return Optional.empty();
        }
        StoredLease left = lease.remainingAt(wallClock.instant());
        if (left.prefixes().isEmpty()) {
            LOG.info("{}: stored lease from {} has expired; starting without it", interfaceName, lease.obtainedAt());
            return Optional.empty();
        }
        return Optional.of(left);
    }

    /** Replaces the stored lease. */
    public void save(StoredLease lease) throws IOException {
        if (!lease.interfaceName().equals(interfaceName)) {
            throw new IllegalArgumentException("lease of " + lease.interfaceName() + " saved for " + interfaceName);
        }
        file.write(lease);
    }

    /** Forgets the lease, after a Release or when it expired. */
    public void clear() throws IOException {
        file.delete();
    }
}
