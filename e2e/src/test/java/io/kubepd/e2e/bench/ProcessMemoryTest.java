package io.kubepd.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessMemoryTest {
  @Test
  void readsTheNumberOfAProcStatusField() {
    String status = "Name:\tjava\nVmHWM:\t   65368 kB\nVmRSS:\t   64012 kB\n";

    assertThat(ProcessMemory.field(status, "VmRSS:")).isEqualTo(64012);
    assertThat(ProcessMemory.field(status, "VmSwap:")).isZero();
  }

  @Test
  void measuresThisJvm() throws Exception {
    long pid = ProcessHandle.current().pid();
    String name = Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();

    ProcessMemory memory = ProcessMemory.of(pid, name);

    assertThat(memory.processes()).isEqualTo(1);
    assertThat(memory.rssKib()).isPositive().isLessThanOrEqualTo(memory.peakRssKib());
    assertThat(memory.pssKib()).isPositive();
    assertThat(ProcessMemory.of(pid, "no-such-process-name").processes()).isZero();
  }
}
