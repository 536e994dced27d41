package io.kubepd.agent.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubepd.testkit.lab.Dhcp6Server;
import io.kubepd.testkit.lab.DelegatedPrefixLease;
import io.kubepd.testkit.lab.Ipv6Prefix;
import io.kubepd.testkit.lab.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Small helpers shared by the interop tests: reading events, the agent's identity and the server's leases. */
final class AgentAssertions {

    static final Duration BIND_TIMEOUT = Duration.ofSeconds(20);

    private AgentAssertions() {
    }

    static Predicate<JsonNode> event(String name) {
        return e -> name.equals(e.path("event").asText());
    }

    static Predicate<JsonNode> event(String name, Ipv6Prefix prefix) {
        return event(name).and(e -> prefix.equals(prefix(e)));
    }

    static Ipv6Prefix prefix(JsonNode event) {
        return Ipv6Prefix.parse(event.path("prefix").asText());
    }

    /** The DUID the agent generated, as stored in its state directory (colon hex, as Kea and dhcpd print it). */
    static String duid(Path stateDir) {
        try {
            return new ObjectMapper().readTree(stateDir.resolve("identity.json").toFile()).path("duid").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the server's lease database holds {@code prefix} for {@code duid}, and returns that lease. */
    static DelegatedPrefixLease awaitServerLease(Dhcp6Server server, Ipv6Prefix prefix, String duid) {
        return Poll.untilPresent(Duration.ofSeconds(10), server.implementation() + " to record " + prefix + " for "
                + duid, () -> find(server.leases(), prefix, duid));
    }

    /** Waits until the server's lease database no longer holds {@code prefix} as delegated. */
    static void awaitNoServerLease(Dhcp6Server server, Ipv6Prefix prefix) {
        Poll.until(Duration.ofSeconds(10), server.implementation() + " to drop " + prefix,
                () -> server.leases().stream().noneMatch(l -> l.prefix().equals(prefix)));
    }

    private static Optional<DelegatedPrefixLease> find(List<DelegatedPrefixLease> leases, Ipv6Prefix prefix,
            String duid) {
        return leases.stream().filter(l -> l.prefix().equals(prefix) && l.duid().equalsIgnoreCase(duid)).findFirst();
    }
}
