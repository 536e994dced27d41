package io.kubepd.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {
    @Test
    void nearestRankOfAHundredSamplesLeavesTheMaximumOutOfP99() {
        List<Duration> durations = IntStream.rangeClosed(1, 100).mapToObj(Duration::ofMillis).toList();

        Percentiles p = Percentiles.of(durations);

        assertThat(p.count()).isEqualTo(100);
        assertThat(p.p50Ms()).isEqualTo(50.0);
        assertThat(p.p99Ms()).isEqualTo(99.0);
        assertThat(p.maxMs()).isEqualTo(100.0);
    }

    @Test
    void withFewerSamplesP99IsTheMaximum() {
        Percentiles p = Percentiles.of(List.of(Duration.ofMillis(3), Duration.ofMillis(1), Duration.ofMillis(2)));

        assertThat(p.p50Ms()).isEqualTo(2.0);
        assertThat(p.p99Ms()).isEqualTo(3.0);
    }
}
