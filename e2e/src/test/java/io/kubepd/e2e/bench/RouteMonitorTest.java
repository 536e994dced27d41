package io.kubepd.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RouteMonitorTest {
    // ip -ts -6 monitor route in a lab node while the agent moved from one pod CIDR to the next.
    private static final String OUTPUT = """
            [2026-11-27T21:40:54.943385] Deleted local 2001:db8:100:100::/64 dev lo table local proto 249 metric 2048 pref medium
            [2026-11-27T21:40:55.374209] local 2001:db8:200:100::/64 dev lo table local proto 249 metric 2048 pref medium
            [2026-11-27T21:40:55.374263] unreachable 2001:db8:200:100::/56 dev lo proto 249 metric 2048 pref medium
            """;

    @Test
    void readsLocalTimesWithMicrosecondsAndWhetherTheRouteCameOrWent() {
        var events = RouteMonitor.parse(OUTPUT, ZoneOffset.ofHours(1));

        assertThat(events).extracting(RouteMonitor.RouteEvent::deleted).containsExactly(true, false, false);
        assertThat(events.get(1).at()).isEqualTo(Instant.parse("2026-11-27T20:40:55.374209Z"));
        assertThat(events.get(1).route()).startsWith("local 2001:db8:200:100::/64 ");
    }
}
