package io.kubepd.testkit.lab;

/** The lab could not set up, run or query something; the message says what and carries the command output. */
public class LabException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LabException(String message) {
    super(message);
  }

  public LabException(String message, Throwable cause) {
    super(message, cause);
  }
}
