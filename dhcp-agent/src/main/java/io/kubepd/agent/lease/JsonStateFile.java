package io.kubepd.agent.lease;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON document in the state directory, replaced atomically on every write and moved aside when corrupt.
 *
 * <p>A write goes to a temporary file in the same directory, is fsynced, renamed over the target with
 * {@code ATOMIC_MOVE}, and the directory is fsynced so the rename itself survives a power loss: a reader only ever
 * sees the old or the new document, never half of one.
 */
public final class JsonStateFile<T> {

    private static final Logger LOG = LoggerFactory.getLogger(JsonStateFile.class);
    private static final DateTimeFormatter CORRUPT_SUFFIX =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    // Unknown fields are ignored so that an older agent can read a file written by a newer one after a rollback.
    private static final ObjectMapper MAPPER =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path path;
    private final Class<T> type;
    private final Clock clock;

    private JsonStateFile(Path path, Class<T> type, Clock clock) {
        this.path = path.toAbsolutePath();
        this.type = Objects.requireNonNull(type);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * A state file at {@code path} holding a {@code type} (a record with Jackson annotations).
     *
     * @param clock wall clock, only used to name a corrupt file moved aside
     */
    public static <T> JsonStateFile<T> of(Path path, Class<T> type, Clock clock) {
        return new JsonStateFile<>(path, type, clock);
    }

    public Path path() {
        return path;
    }

    /**
     * Reads the document. A missing file is empty; a file that cannot be read or parsed is moved aside to
     * {@code <name>.corrupt-<timestamp>} with an error log and also reads as empty, so a bad file costs one fresh start
     * instead of a crash loop.
     */
    public Optional<T> read() throws IOException {
        String problem;
        try {
            T value = MAPPER.readValue(Files.readAllBytes(path), type);
            if (value != null) {
                return Optional.of(value);
            }
            problem = "document is JSON null";
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (JacksonException e) {
            problem = e.getOriginalMessage();
        } catch (IOException e) {
            problem = "unreadable: " + e;
        }
        Path aside = moveAside();
        LOG.error("state file {} is corrupt ({}); moved it to {} and starting fresh", path, problem, aside);
        return Optional.empty();
    }

    /** Replaces the document atomically and durably. */
    public void write(T value) throws IOException {
        Path dir = path.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".tmp");
        try {
            byte[] bytes = serialize(value);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("state directory " + dir + " does not support atomic rename;"
                        + " put --state-dir on a local filesystem", e);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Serializes {@code value} and parses it back as {@link #write} and {@link #read} do, touching no file: the
     * start-up warm-up has the mapper build its serializers before the first real write.
     */
    public static <T> T roundTrip(T value, Class<T> type) throws IOException {
        return MAPPER.readValue(serialize(value), type);
    }

    private static byte[] serialize(Object value) throws IOException {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
    }

    /** Removes the document, e.g. when a lease ended; a missing file is fine. */
    public void delete() throws IOException {
        if (Files.deleteIfExists(path)) {
            syncDirectory(path.getParent());
        }
    }

    private Path moveAside() throws IOException {
        Path aside = path.resolveSibling(path.getFileName() + ".corrupt-" + CORRUPT_SUFFIX.format(clock.instant()));
        Files.move(path, aside, StandardCopyOption.REPLACE_EXISTING);
        return aside;
    }

    private static void syncDirectory(Path dir) throws IOException {
        // Linux lets a directory be opened read-only and fsynced; that makes the rename durable.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
