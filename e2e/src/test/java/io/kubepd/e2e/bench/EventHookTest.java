package io.kubepd.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.kubepd.e2e.bench.EventHook.ClientEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventHookTest {
  @TempDir
  Path dir;

  @Test
  void recordsEachClientsPrefixVariable() throws Exception {
    EventHook hook = EventHook.create(dir);

    run(hook, Map.of("reason", "PREINIT6"));
    run(hook, Map.of("reason", "BOUND6", "new_ip6_prefix", "2001:db8:1::/56"));
    run(hook, Map.of("reason", "BOUND6", "new_dhcp6_ia_pd1_prefix1", "2001:db8:2::",
        "new_dhcp6_ia_pd1_prefix1_length", "56"));
    run(hook, Map.of("KUBEPD_EVENT", "bound", "KUBEPD_PREFIX", "2001:db8:3::/56"));

    assertThat(hook.events()).extracting(ClientEvent::reason, ClientEvent::prefix).containsExactly(
        tuple("PREINIT6", ""),
        tuple("BOUND6", "2001:db8:1::/56"),
        tuple("BOUND6", "2001:db8:2::/56"),
        tuple("bound", "2001:db8:3::/56"));
    assertThat(hook.bound()).map(ClientEvent::prefix).hasValue("2001:db8:1::/56");
    long now = ClientRunner.wallNanos();
    assertThat(hook.events()).allSatisfy(e -> assertThat(e.epochNanos()).isBetween(now - 60_000_000_000L, now));
  }

  @Test
  void ignoresALineStillBeingWritten() throws IOException {
    EventHook hook = EventHook.create(dir);
    Files.writeString(dir.resolve("events"), "1700000000000000 BOUND6 2001:db8::/56\n1700000000000001 BOU");

    assertThat(hook.events()).singleElement().isEqualTo(
        new ClientEvent(1_700_000_000_000_000_000L, "BOUND6", "2001:db8::/56"));
  }

  private static void run(EventHook hook, Map<String, String> environment) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(hook.script().toString());
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process = builder.start();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
  }
}
