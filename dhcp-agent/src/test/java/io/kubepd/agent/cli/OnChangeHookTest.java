package io.kubepd.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.agent.client.DnsConfig;
import io.kubepd.agent.client.Lease;
import io.kubepd.agent.client.LeaseEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnChangeHookTest {

    @TempDir
    Path dir;

    @Test
    void runsTheCommandInOrderWithTheEventInItsEnvironment() throws Exception {
        Path out = dir.resolve("hook.log");
        Lease old = LeaseChangeTrackerTest.lease(7, "2001:db8:100::", Lease.State.ACTIVE);
        Lease renumbered = LeaseChangeTrackerTest.lease(7, "2001:db8:200::", Lease.State.ACTIVE);
        Instant now = Instant.parse("2025-01-01T00:00:05Z");
        try (OnChangeHook hook = new OnChangeHook(
                "echo \"$KUBEPD_EVENT $KUBEPD_INTERFACE old=$KUBEPD_OLD_PREFIX new=$KUBEPD_NEW_PREFIX"
                        + " valid=$KUBEPD_VALID_LIFETIME iaid=$KUBEPD_IAID\" >> " + out + "; echo to-the-log")) {
            hook.submit(new LeaseChange(now, "eth0", new LeaseEvent(LeaseEvent.Type.BOUND, old), null,
                    "2001:db8:100::/56"));
            hook.submit(new LeaseChange(now, "eth0", new LeaseEvent(LeaseEvent.Type.CHANGED, renumbered),
                    "2001:db8:100::/56", "2001:db8:200::/56"));
        }
        // close() waited for both runs.
        assertThat(Files.readAllLines(out)).containsExactly(
                "bound eth0 old= new=2001:db8:100::/56 valid=3600 iaid=7",
                "changed eth0 old=2001:db8:100::/56 new=2001:db8:200::/56 valid=3600 iaid=7");
    }

    @Test
    void theExcludedPrefixIsInTheEnvironmentAndEmptyWithoutOne() {
        Lease plain = LeaseChangeTrackerTest.lease(7, "2001:db8:100::", Lease.State.ACTIVE);
        Lease excluding = new Lease(7, "2001:db8:100::", 56, "2001:db8:100::/64", 1800, 3600, 900, 1440,
                "00:01:00:01:aa:bb", Instant.EPOCH, Instant.EPOCH, Instant.EPOCH.plusSeconds(3600), Lease.State.ACTIVE);
        assertThat(OnChangeHook.environment(new LeaseChange(Instant.EPOCH, "eth0",
                new LeaseEvent(LeaseEvent.Type.BOUND, excluding), null, "2001:db8:100::/56")))
                .containsEntry("KUBEPD_EXCLUDED_PREFIX", "2001:db8:100::/64");
        assertThat(OnChangeHook.environment(new LeaseChange(Instant.EPOCH, "eth0",
                new LeaseEvent(LeaseEvent.Type.BOUND, plain), null, "2001:db8:100::/56")))
                .containsEntry("KUBEPD_EXCLUDED_PREFIX", "");
    }

    @Test
    void theDnsConfigurationIsInTheEnvironmentSpaceSeparated() {
        Lease lease = new Lease(7, "2001:db8:100::", 56, null, 1800, 3600, 900, 1440, "00:01:00:01:aa:bb",
                Instant.EPOCH, Instant.EPOCH, Instant.EPOCH.plusSeconds(3600), Lease.State.ACTIVE, new DnsConfig(List.of("2001:db8::53", "2001:db8::35"), List.of("example.net")));
        assertThat(OnChangeHook.environment(new LeaseChange(Instant.EPOCH, "eth0",
                new LeaseEvent(LeaseEvent.Type.BOUND, lease), null, "2001:db8:100::/56")))
                .containsEntry("KUBEPD_DNS_SERVERS", "2001:db8::53 2001:db8::35")
                .containsEntry("KUBEPD_DOMAIN_SEARCH", "example.net");
    }

    @Test
    void aFailingHookDoesNotStopTheNextOne() throws Exception {
        Path out = dir.resolve("hook.log");
        Lease lease = LeaseChangeTrackerTest.lease(7, "2001:db8:100::", Lease.State.ACTIVE);
        try (OnChangeHook hook = new OnChangeHook("echo $KUBEPD_EVENT >> " + out + "; exit 3")) {
            for (LeaseEvent.Type type : List.of(LeaseEvent.Type.BOUND, LeaseEvent.Type.RENEWED)) {
                hook.submit(new LeaseChange(Instant.now(), "eth0", new LeaseEvent(type, lease), null, null));
            }
        }
        assertThat(Files.readAllLines(out)).containsExactly("bound", "renewed");
    }
}
