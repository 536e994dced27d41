package io.kubepd.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplyCaptureTest {
    // tcpdump 4.99.3 -n -tt -v in a lab node: Kea 2.2's Reply to the first Renew after its pool moved to
    // 2001:db8:200::/48 (the advertise line is made up, to be skipped).
    private static final String OUTPUT = """
            tcpdump: listening on uplink0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
            1795815654.905169 IP6 (flowlabel 0x25494, hlim 64, next-header UDP (17) payload length: 118) \
            fe80::491:89ff:fed0:6f90.547 > fe80::7807:f7ff:fe73:73f5.546: [bad udp cksum 0xdceb -> 0x624b!] \
            dhcp6 reply (xid=935251 (client-ID hwaddr type 1 7a07f77373f5) (server-ID hwaddr/time type 1 time \
            849130841 069189d06f90) (IA_PD IAID:1882902449 T1:2 T2:3 (IA_PD-prefix 2001:db8:200:100::/56 pltime:4 \
            vltime:6) (IA_PD-prefix 2001:db8:100:100::/56 pltime:0 vltime:0)))
            1795815656.500000 IP6 (flowlabel 0x25494, hlim 64, next-header UDP (17) payload length: 93) \
            fe80::491:89ff:fed0:6f90.547 > fe80::7807:f7ff:fe73:73f5.546: dhcp6 advertise (xid=935252)
            """;

    @Test
    void readsTheCaptureTimeAndTheDelegatedPrefixesOfReplies() {
        assertThat(ReplyCapture.parse(OUTPUT)).singleElement().satisfies(reply -> {
            assertThat(reply.at()).isEqualTo(Instant.ofEpochSecond(1795815654L, 905_169_000L));
            assertThat(reply.prefixes()).as("the prefix ended with lifetime 0 is not delegated")
                    .containsExactly("2001:db8:200:100::/56");
        });
    }
}
