package io.kubepd.agent.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void createsMissingDirectories() throws IOException {
        try (StateDirectory state = StateDirectory.open(dir.resolve("a/b"))) {
            assertThat(state.path()).isDirectory();
            assertThat(state.leaseFile("eth0")).isEqualTo(dir.resolve("a/b/lease-eth0.json"));
        }
    }

    @Test
    void secondOpenFailsNamingTheHolderAndWorksAfterClose() throws IOException {
        try (StateDirectory first = StateDirectory.open(dir)) {
            assertThat(first.path()).isEqualTo(dir.toAbsolutePath());
            assertThatThrownBy(() -> StateDirectory.open(dir))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("in use by another kubepd agent (pid " + ProcessHandle.current().pid() + ")")
                    .hasMessageContaining("--state-dir");
        }
        StateDirectory.open(dir).close();
    }
}
