package io.kubepd.operator.status;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** RFC 3339 times as the API carries them. */
public final class Timestamps {
  private Timestamps() {}

  /** RFC 3339 in UTC, e.g. 2026-01-01T00:00:00Z. */
  public static String format(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }

  /** Condition times have second precision, like metav1.Time. */
  public static Instant condition(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS);
  }

  /**
   * Parses an RFC 3339 time with any offset; empty for null or blank.
   *
   * @throws DateTimeParseException if the text is not such a time
   */
  public static Optional<Instant> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
  }
}
