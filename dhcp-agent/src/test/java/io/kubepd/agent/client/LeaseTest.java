package io.kubepd.agent.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LeaseTest {
    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

    private static Lease lease(String prefix, long valid, Instant expiresAt) {
        return new Lease(1, prefix, 56, null, 100, valid, 50, 80, "00:03:00:01:02:42:ac:11:00:02", T, T, expiresAt,
                Lease.State.ACTIVE);
    }

    @Test
    void prefixIsKeptInRfc5952Form() {
        Lease lease = lease("2001:0DB8:0001:0100:0:0:0:0", 200, T.plusSeconds(200));
        assertThat(lease.prefix()).isEqualTo("2001:db8:1:100::");
        assertThat(lease.cidr()).isEqualTo("2001:db8:1:100::/56");
        assertThat(lease.prefixAddress()).isEqualTo(FakeServer.ip("2001:db8:1:100::"));
    }

    @Test
    void invalidValuesAreRejected() {
        assertThatThrownBy(() -> lease("192.0.2.0", 200, T)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lease("no", 200, T)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lease("2001:db8::", Lease.INFINITE, T))
                .hasMessageContaining("expiresAt must be null exactly when the valid lifetime is infinite");
        assertThatThrownBy(() -> lease("2001:db8::", 200, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anExcludedPrefixMustLieInsideThePrefixAndBeLonger() {
        Lease lease = withExcluded("2001:0DB8:1:1FC:0::/62");
        assertThat(lease.excludedPrefix()).isEqualTo("2001:db8:1:1fc::/62");
        assertThat(withExcluded("2001:db8:1:1ff::1/128").excludedPrefix()).isEqualTo("2001:db8:1:1ff::1/128");
        assertThat(lease.withState(Lease.State.DRAINING).excludedPrefix()).isEqualTo("2001:db8:1:1fc::/62");

        assertThatThrownBy(() -> withExcluded("2001:db8:1:200::/64")).hasMessageContaining("lies outside");
        assertThatThrownBy(() -> withExcluded("2001:db8:1:100::/56")).hasMessageContaining("must be longer than /56");
        assertThatThrownBy(() -> withExcluded("2001:db8:1:100::/129")).hasMessageContaining("at most /128");
        assertThatThrownBy(() -> withExcluded("2001:db8:1:100::1/64")).hasMessageContaining("host bits");
        assertThatThrownBy(() -> withExcluded("2001:db8:1:100::")).hasMessageContaining("not an IPv6 prefix");
        assertThatThrownBy(() -> withExcluded("192.0.2.0/24")).hasMessageContaining("not an IPv6 prefix");
    }

    private static Lease withExcluded(String excluded) {
        return new Lease(1, "2001:db8:1:100::", 56, excluded, 100, 200, 50, 80, "00:03:00:01:02:42:ac:11:00:02", T, T,
                T.plusSeconds(200), Lease.State.ACTIVE);
    }

    @Test
    void survivesAJsonRoundTrip() throws Exception {
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        Lease lease = lease("2001:db8:1:100::", 200, T.plusSeconds(200)).withState(Lease.State.DRAINING);
        String text = json.writeValueAsString(lease);
        assertThat(text).contains("\"prefix\":\"2001:db8:1:100::\"").doesNotContain("prefixAddress");
        assertThat(json.readValue(text, Lease.class)).isEqualTo(lease);
        Lease infinite = lease("2001:db8::", Lease.INFINITE, null);
        assertThat(json.readValue(json.writeValueAsString(infinite), Lease.class)).isEqualTo(infinite);
    }
}
