package io.kubepd.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubepd.agent.client.DnsConfig;
import io.kubepd.agent.client.Lease;
import io.kubepd.agent.client.LeaseEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventPrinterTest {

    @Test
    void printsOneCompleteJsonObjectPerLine() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EventPrinter printer = new EventPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Lease lease = LeaseChangeTrackerTest.lease(7, "2001:db8:100::", Lease.State.ACTIVE);
        Instant now = Instant.parse("2025-01-01T00:00:05Z");
        printer.print(new LeaseChange(now, "eth0", new LeaseEvent(LeaseEvent.Type.BOUND, lease), null,
                "2001:db8:100::/56"));
        printer.print(new LeaseChange(now, "eth0", new LeaseEvent(LeaseEvent.Type.RELEASED,
                lease.withState(Lease.State.RELEASED)), "2001:db8:100::/56", null));

        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        JsonNode bound = new ObjectMapper().readTree(lines[0]);
        assertThat(bound.path("time").asText()).isEqualTo("2025-01-01T00:00:05Z");
        assertThat(bound.path("interface").asText()).isEqualTo("eth0");
        assertThat(bound.path("event").asText()).isEqualTo("bound");
        assertThat(bound.path("prefix").asText()).isEqualTo("2001:db8:100::/56");
        assertThat(bound.has("excludedPrefix")).isTrue();
        assertThat(bound.path("excludedPrefix").isNull()).isTrue();
        assertThat(bound.path("oldPrefix").isNull()).isTrue();
        assertThat(bound.path("newPrefix").asText()).isEqualTo("2001:db8:100::/56");
        assertThat(bound.path("iaid").asLong()).isEqualTo(7);
        assertThat(bound.path("preferredLifetime").asLong()).isEqualTo(1800);
        assertThat(bound.path("validLifetime").asLong()).isEqualTo(3600);
        assertThat(bound.path("t1").asLong()).isEqualTo(900);
        assertThat(bound.path("t2").asLong()).isEqualTo(1440);
        assertThat(bound.path("expiresAt").asText()).isEqualTo("2025-01-01T01:00:00Z");
        assertThat(bound.path("state").asText()).isEqualTo("active");
        JsonNode released = new ObjectMapper().readTree(lines[1]);
        assertThat(released.path("event").asText()).isEqualTo("released");
        assertThat(released.path("newPrefix").isNull()).isTrue();
    }

    @Test
    void printsTheExcludedPrefix() throws Exception {
        Lease lease = new Lease(7, "2001:db8:100::", 56, "2001:db8:100:ff::/64", 1800, 3600, 900, 1440,
                "00:01:00:01:aa:bb", Instant.EPOCH, Instant.EPOCH, Instant.EPOCH.plusSeconds(3600), Lease.State.ACTIVE);
        JsonNode bound = new ObjectMapper().readTree(EventPrinter.toJson(new LeaseChange(Instant.EPOCH, "eth0",
                new LeaseEvent(LeaseEvent.Type.BOUND, lease), null, "2001:db8:100::/56")));
        assertThat(bound.path("excludedPrefix").asText()).isEqualTo("2001:db8:100:ff::/64");
        assertThat(bound.path("dnsServers").isArray()).isTrue();
        assertThat(bound.path("dnsServers")).isEmpty();
    }

    @Test
    void printsTheDnsConfiguration() throws Exception {
        Lease lease = new Lease(7, "2001:db8:100::", 56, null, 1800, 3600, 900, 1440, "00:01:00:01:aa:bb",
                Instant.EPOCH, Instant.EPOCH, Instant.EPOCH.plusSeconds(3600), Lease.State.ACTIVE, new DnsConfig(List.of("2001:db8::53", "2001:db8::35"), List.of("example.net")));
        JsonNode bound = new ObjectMapper().readTree(EventPrinter.toJson(new LeaseChange(Instant.EPOCH, "eth0",
                new LeaseEvent(LeaseEvent.Type.BOUND, lease), null, "2001:db8:100::/56")));
        assertThat(bound.path("dnsServers")).extracting(JsonNode::asText).containsExactly("2001:db8::53", "2001:db8::35");
        assertThat(bound.path("domainSearchList")).extracting(JsonNode::asText).containsExactly("example.net");
    }
}
