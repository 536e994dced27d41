package io.kubepd.testkit.lab;

import java.util.List;

/** The outcome of a finished command: exit code and everything it printed. */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr) {
  public boolean ok() {
    return exitCode == 0;
  }

  /** This result when the command exited 0, else a {@link LabException} with its output. */
  public ExecResult orThrow() {
    if (!ok()) {
      throw new LabException(this.toString());
    }
    return this;
  }

  @Override
  public String toString() {
    return String.join(" ", command) + " exited " + exitCode
        + (stdout.isBlank() ? "" : "\nstdout: " + stdout.strip())
        + (stderr.isBlank() ? "" : "\nstderr: " + stderr.strip());
  }
}
