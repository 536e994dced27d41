package io.kubepd.agent.lease;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The agent's state directory, held under an exclusive lock so that two agents never share one DUID or overwrite each
 * other's leases.
 */
public final class StateDirectory implements AutoCloseable {

    private static final String LOCK_FILE = ".lock";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private StateDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates the directory if needed and locks it; fails with a message naming the holder if another agent has it. */
    public static StateDirectory open(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        Files.createDirectories(absolute);
        Path lockPath = absolute.resolve(LOCK_FILE);
        FileChannel ch = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String holder = Files.readString(lockPath, StandardCharsets.US_ASCII).strip();
            ch.close();
            throw new IOException("state directory " + absolute + " is in use by another kubepd agent"
                    + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; stop it or choose another --state-dir");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)));
        return new StateDirectory(absolute, ch, lock);
    }

    public Path path() {
        return dir;
    }

    /** The file that holds the lease of one uplink interface. */
    public Path leaseFile(String interfaceName) {
        return dir.resolve("lease-" + interfaceName + ".json");
    }

    /** The file that holds the host's DUID and the IAIDs of its interfaces. */
    public Path identityFile() {
        return dir.resolve("identity.json");
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
