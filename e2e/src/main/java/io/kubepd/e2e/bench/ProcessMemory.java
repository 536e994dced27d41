package io.kubepd.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The memory of one client, summed over its process and every descendant with the same name (dhcpcd's privilege
 * separation runs four or five): resident set now ({@code VmRSS}), its high-water mark ({@code VmHWM}, the peak since
 * start) and the proportional set size ({@code Pss}, shared pages split among the processes mapping them), in KiB.
 */
record ProcessMemory(int processes, long rssKib, long peakRssKib, long pssKib) {

  /** Reads {@code /proc} for {@code pid} and its descendants named {@code name}. */
  static ProcessMemory of(long pid, String name) {
    List<Long> pids = Stream.concat(Stream.of(pid), ProcessHandle.of(pid).stream()
            .flatMap(ProcessHandle::descendants).map(ProcessHandle::pid))
        .filter(p -> name.equals(comm(p)))
        .toList();
    long rss = 0;
    long peak = 0;
    long pss = 0;
    int counted = 0;
    for (long p : pids) {
      String status = read(Path.of("/proc", Long.toString(p), "status"));
      String rollup = read(Path.of("/proc", Long.toString(p), "smaps_rollup"));
      if (status.isEmpty()) {
        continue;
      }
      counted++;
      rss += field(status, "VmRSS:");
      peak += field(status, "VmHWM:");
      pss += field(rollup, "Pss:");
    }
    return new ProcessMemory(counted, rss, peak, pss);
  }

  private static String comm(long pid) {
    return read(Path.of("/proc", Long.toString(pid), "comm")).strip();
  }

  /** A process can exit between listing and reading; it then counts as nothing. */
  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  /** The number in a {@code Name:   1234 kB} line, 0 when absent. */
  static long field(String text, String name) {
    for (String line : text.split("\n")) {
      if (line.startsWith(name)) {
        return Long.parseLong(line.substring(name.length()).strip().split("\\s+")[0]);
      }
    }
    return 0;
  }
}
