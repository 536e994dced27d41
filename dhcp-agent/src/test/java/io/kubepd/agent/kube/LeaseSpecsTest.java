package io.kubepd.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.agent.client.DnsConfig;
import io.kubepd.agent.client.Lease;
import io.kubepd.agent.client.LeaseEvent;
import io.kubepd.agent.codec.Duid;
import io.kubepd.crd.v1alpha1.DhcpState;
import io.kubepd.crd.v1alpha1.PrefixLeaseSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaseSpecsTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00.123456789Z");
    private static final Duid CLIENT = Duid.ll(new byte[] {0x02, 0, 0, 0, 0, 0x01});

    @Test
    void mapsTheLeaseOntoTheSpec() {
        Lease lease = lease("2001:db8:0:100::", 3600, 7200, NOW.plusSeconds(7200), Lease.State.ACTIVE);

        PrefixLeaseSpec spec = LeaseSpecs.of("node-a", "eth0", CLIENT, lease, List.of(), DhcpState.Bound, NOW);

        assertThat(spec.getNodeName()).isEqualTo("node-a");
        assertThat(spec.getInterfaceName()).isEqualTo("eth0");
        assertThat(spec.getIaid()).isEqualTo(7L);
        assertThat(spec.getClientDuid()).isEqualTo("00030001020000000001");
        assertThat(spec.getServerDuid()).isEqualTo("000100012c3f6e1a0a0b0c0d0e0f");
        assertThat(spec.getDelegatedPrefix()).isEqualTo("2001:db8:0:100::/56");
        assertThat(spec.getT1Seconds()).isEqualTo(1800);
        assertThat(spec.getT2Seconds()).isEqualTo(2880);
        assertThat(spec.getPreferredLifetimeSeconds()).isEqualTo(3600);
        assertThat(spec.getValidLifetimeSeconds()).isEqualTo(7200);
        assertThat(spec.getExpiresAt()).as("to the second, as kubectl shows it").isEqualTo("2026-11-27T14:00:00Z");
        assertThat(spec.getDhcpState()).isEqualTo(DhcpState.Bound);
        assertThat(spec.getDeprecatedPrefixes()).isEmpty();
        assertThat(spec.getExcludedPrefix()).isNull();
    }

    @Test
    void reportsTheExcludedPrefix() {
        Lease lease = new Lease(7, "2001:db8:0:100::", 56, "2001:db8:0:100::/64", 3600, 7200, 1800, 2880,
                "00:01:00:01:2c:3f:6e:1a:0a:0b:0c:0d:0e:0f", NOW.minusSeconds(60), NOW, NOW.plusSeconds(7200),
                Lease.State.ACTIVE);

        PrefixLeaseSpec spec = LeaseSpecs.of("node-a", "eth0", CLIENT, lease, List.of(), DhcpState.Bound, NOW);

        assertThat(spec.getExcludedPrefix()).isEqualTo("2001:db8:0:100::/64");
    }

    @Test
    void reportsTheDnsConfigurationAndNothingWithoutOne() {
        Lease lease = new Lease(7, "2001:db8:0:100::", 56, null, 3600, 7200, 1800, 2880,
                "00:01:00:01:2c:3f:6e:1a:0a:0b:0c:0d:0e:0f", NOW.minusSeconds(60), NOW, NOW.plusSeconds(7200),
                Lease.State.ACTIVE, new DnsConfig(List.of("2001:db8::53", "2001:db8::35"), List.of("example.net")));

        PrefixLeaseSpec spec = LeaseSpecs.of("node-a", "eth0", CLIENT, lease, List.of(), DhcpState.Bound, NOW);

        assertThat(spec.getDnsServers()).containsExactly("2001:db8::53", "2001:db8::35");
        assertThat(spec.getDomainSearchList()).containsExactly("example.net");
        PrefixLeaseSpec plain = LeaseSpecs.of("node-a", "eth0", CLIENT,
                lease("2001:db8:0:100::", 3600, 7200, NOW.plusSeconds(7200), Lease.State.ACTIVE),
                List.of(), DhcpState.Bound, NOW);
        assertThat(plain.getDnsServers()).isNull();
        assertThat(plain.getDomainSearchList()).isNull();
    }

    @Test
    void infiniteLifetimesHaveNoExpiry() {
        Lease lease = lease("2001:db8:0:100::", Lease.INFINITE, Lease.INFINITE, null, Lease.State.ACTIVE);

        PrefixLeaseSpec spec = LeaseSpecs.of("node-a", "eth0", CLIENT, lease, List.of(), DhcpState.Bound, NOW);

        assertThat(spec.getExpiresAt()).isNull();
        assertThat(spec.getValidLifetimeSeconds()).isEqualTo(4294967295L);
    }

    @Test
    void reportsDrainingPrefixesUntilTheyExpire() {
        Lease current = lease("2001:db8:0:200::", 3600, 7200, NOW.plusSeconds(7200), Lease.State.ACTIVE);
        Lease draining = lease("2001:db8:0:100::", 0, 600, NOW.plusSeconds(600), Lease.State.DRAINING);
        Lease gone = lease("2001:db8:0:300::", 0, 600, NOW.minusSeconds(1), Lease.State.DRAINING);

        PrefixLeaseSpec spec = LeaseSpecs.of("node-a", "eth0", CLIENT, current, List.of(draining, gone),
                DhcpState.Bound, NOW);

        assertThat(spec.getDeprecatedPrefixes()).singleElement().satisfies(d -> {
            assertThat(d.getPrefix()).isEqualTo("2001:db8:0:100::/56");
            assertThat(d.getExpiresAt()).isEqualTo("2026-11-27T12:10:00Z");
        });
    }

    @Test
    void statesFollowTheEvents() {
        assertThat(LeaseSpecs.stateAfter(LeaseEvent.Type.RESTORED)).isEqualTo(DhcpState.Rebinding);
        assertThat(LeaseSpecs.stateAfter(LeaseEvent.Type.CHANGED)).isEqualTo(DhcpState.Bound);
        assertThat(LeaseSpecs.stateAfter(LeaseEvent.Type.EXPIRED)).isEqualTo(DhcpState.Expired);
        assertThat(LeaseSpecs.stateAfter(LeaseEvent.Type.WITHDRAWN)).isEqualTo(DhcpState.Expired);
        assertThat(LeaseSpecs.stateAfter(LeaseEvent.Type.RELEASED)).isEqualTo(DhcpState.Released);
    }

    private static Lease lease(String prefix, long preferred, long valid, Instant expires, Lease.State state) {
        return new Lease(7, prefix, 56, null, preferred, valid, 1800, 2880, "00:01:00:01:2c:3f:6e:1a:0a:0b:0c:0d:0e:0f",
                NOW.minusSeconds(60), NOW, expires, state);
    }
}
