package io.kubepd.e2e.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The log lines of kubepd's own processes with their timestamps (slf4j-simple, milliseconds, same host clock), to
 * place the agent's and the operator's steps between the measured points.
 */
final class ComponentLog {
  /** One line: when it was logged and what it says. */
  record Line(Instant at, String text) {}

  private final List<Line> lines;

  private ComponentLog(List<Line> lines) {
    this.lines = lines;
  }

  /** Reads the lines of every file, in time order; lines without a leading timestamp (stack traces) are left out. */
  static ComponentLog read(List<Path> files) {
    List<Line> lines = new ArrayList<>();
    for (Path file : files) {
      try {
        for (String line : Files.readAllLines(file)) {
          int space = line.indexOf(' ');
          if (space > 0) {
            try {
              Instant at = OffsetDateTime.parse(line.substring(0, space)).toInstant();
              lines.add(new Line(at, line.substring(space + 1)));
            } catch (DateTimeParseException e) {
              // Not a log line of ours, e.g. a stack trace or the JVM's own output.
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    lines.sort(Comparator.comparing(Line::at));
    return new ComponentLog(List.copyOf(lines));
  }

  /** The first line at or after {@code after} that {@code pattern} finds something in. */
  Optional<Line> first(Pattern pattern, Instant after) {
    return lines.stream().filter(l -> !l.at().isBefore(after) && pattern.matcher(l.text()).find()).findFirst();
  }
}
