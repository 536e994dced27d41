package io.kubepd.agent.lease;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonStateFileTest {

    record Doc(@JsonProperty("name") String name, @JsonProperty("count") int count) {
        Doc {
            if (count < 0) {
                throw new IllegalArgumentException("negative count");
            }
        }
    }

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2025-03-04T05:06:07.089Z"), ZoneOffset.UTC);

    private JsonStateFile<Doc> file() {
        return JsonStateFile.of(dir.resolve("doc.json"), Doc.class, clock);
    }

    @Test
    void missingFileReadsEmpty() throws IOException {
        assertThat(file().read()).isEmpty();
    }

    @Test
    void writeThenReadRoundTrips() throws IOException {
        file().write(new Doc("a", 1));
        file().write(new Doc("b", 2));
        assertThat(file().read()).contains(new Doc("b", 2));
    }

    @Test
    void writeLeavesNoTemporaryFileBehind() throws IOException {
        file().write(new Doc("a", 1));
        file().write(new Doc("b", 2));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("doc.json");
        }
    }

    @Test
    void writeReplacesTheFileByRenameSoOpenReadersKeepTheOldDocument() throws IOException {
        file().write(new Doc("old", 1));
        Object inodeBefore = Files.getAttribute(dir.resolve("doc.json"), "unix:ino");
        file().write(new Doc("new", 2));
        // A new inode proves the target was replaced by rename, not rewritten in place (which a crash could truncate).
        assertThat(Files.getAttribute(dir.resolve("doc.json"), "unix:ino")).isNotEqualTo(inodeBefore);
    }

    @Test
    void truncatedJsonIsMovedAsideAndReadsEmpty() throws IOException {
        Files.writeString(dir.resolve("doc.json"), "{\"name\": \"a\", \"cou");
        assertThat(file().read()).isEmpty();
        Path aside = dir.resolve("doc.json.corrupt-20250304T050607.089Z");
        assertThat(aside).hasContent("{\"name\": \"a\", \"cou");
        assertThat(dir.resolve("doc.json")).doesNotExist();
        // The next start is a clean one: no second move, no error.
        assertThat(file().read()).isEmpty();
    }

    @Test
    void documentFailingValidationIsMovedAside() throws IOException {
        Files.writeString(dir.resolve("doc.json"), "{\"name\": \"a\", \"count\": -3}");
        assertThat(file().read()).isEmpty();
        assertThat(dir.resolve("doc.json.corrupt-20250304T050607.089Z")).exists();
    }

    @Test
    void jsonNullIsMovedAside() throws IOException {
        Files.writeString(dir.resolve("doc.json"), "null");
        assertThat(file().read()).isEmpty();
        assertThat(dir.resolve("doc.json.corrupt-20250304T050607.089Z")).exists();
    }

    @Test
    void unreadableFileIsMovedAside() throws IOException {
        // A directory where the file should be cannot be read as one; this works as root too, unlike chmod 000.
        Files.createDirectory(dir.resolve("doc.json"));
        assertThat(file().read()).isEmpty();
        assertThat(dir.resolve("doc.json.corrupt-20250304T050607.089Z")).isDirectory();
    }

    @Test
    void unknownFieldsFromANewerAgentAreIgnored() throws IOException {
        Files.writeString(dir.resolve("doc.json"), "{\"name\": \"a\", \"count\": 1, \"future\": [1, 2]}");
        assertThat(file().read()).contains(new Doc("a", 1));
    }

    @Test
    void deleteRemovesTheFileAndToleratesAMissingOne() throws IOException {
        file().write(new Doc("a", 1));
        file().delete();
        file().delete();
        assertThat(dir.resolve("doc.json")).doesNotExist();
    }
}
