package io.kubepd.operator.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  @Test
  void parsesRfc3339WithAnyOffsetAndFormatsUtc() {
    assertThat(Timestamps.parse("2026-01-01T02:00:00+02:00")).contains(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(Timestamps.parse("2026-01-01T00:00:00.5Z")).contains(Instant.parse("2026-01-01T00:00:00.500Z"));
    assertThat(Timestamps.parse(null)).isEmpty();
    assertThat(Timestamps.parse(" ")).isEmpty();
    assertThatThrownBy(() -> Timestamps.parse("yesterday")).isInstanceOf(DateTimeParseException.class);
    assertThat(Timestamps.format(Instant.parse("2026-01-01T00:00:00Z"))).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(Timestamps.condition(Instant.parse("2026-01-01T00:00:00.999Z")))
        .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
  }
}
