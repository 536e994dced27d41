package io.kubepd.e2e.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's memory and CPU use from {@code /proc}: resident set now (VmRSS), its peak (VmHWM), and CPU time so far.
 */
record ProcessFootprint(long rssKib, long peakRssKib, double cpuSeconds) {
  // USER_HZ, the unit of utime and stime in /proc/<pid>/stat, is 100 on every Linux architecture the lab runs on.
  private static final double TICKS_PER_SECOND = 100;

  static ProcessFootprint of(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    try {
      long rss = -1;
      long hwm = -1;
      for (String line : Files.readAllLines(proc.resolve("status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = kib(line);
        } else if (line.startsWith("VmHWM:")) {
          hwm = kib(line);
        }
      }
      // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14 and 15.
      String stat = Files.readString(proc.resolve("stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return new ProcessFootprint(rss, hwm, ticks / TICKS_PER_SECOND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + proc + " (has process " + pid + " exited?)", e);
    }
  }

  /** The JVM options the process runs with, from its command line. */
  static String jvmOptions(long pid) {
    try {
      String[] args = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).split("\0");
      StringBuilder options = new StringBuilder();
      for (String arg : args) {
        if (arg.startsWith("-X")) {
          options.append(options.length() == 0 ? "" : " ").append(arg);
        }
      }
      return options.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the command line of process " + pid, e);
    }
  }

  private static long kib(String line) {
    return Long.parseLong(line.replaceAll("\\D", ""));
  }
}
