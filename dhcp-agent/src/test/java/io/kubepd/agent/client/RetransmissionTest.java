package io.kubepd.agent.client;

import static java.time.Duration.ofHours;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.agent.client.ClientHarness.Sent;
import io.kubepd.agent.codec.MessageType;
import io.kubepd.agent.codec.StatusCode;
import io.kubepd.agent.codec.option.ServerIdOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Retransmission timing against RFC 8415 §15 and §18.2, over many random seeds. */
class RetransmissionTest {
    private static final int SEEDS = 200;

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    /**
     * Checks the gaps between transmissions of one exchange: the first RT is IRT ± 10% (Solicit:
     * strictly above IRT), every later RT is 2·RTprev ± 10% of RTprev, or MRT ± 10% once capped.
     * Returns the RTs.
     */
    private static List<Double> assertSection15(List<Sent> transmissions, double irt, double mrt, boolean solicit) {
        List<Double> rts = new ArrayList<>();
        for (int i = 1; i < transmissions.size(); i++) {
            rts.add(seconds(transmissions.get(i).at().minus(transmissions.get(i - 1).at())));
        }
        double eps = 1e-6;
        if (!rts.isEmpty()) {
            double first = rts.get(0);
            if (solicit) {
                assertThat(first).isGreaterThan(irt).isLessThanOrEqualTo(1.1 * irt + eps);
            } else {
                assertThat(first).isBetween(0.9 * irt - eps, 1.1 * irt + eps);
            }
        }
        for (int i = 1; i < rts.size(); i++) {
            double rt = rts.get(i);
            double previous = rts.get(i - 1);
            boolean doubled = rt >= 1.9 * previous - eps && rt <= 2.1 * previous + eps && (mrt == 0 || rt <= mrt + eps);
            boolean capped = mrt != 0 && rt >= 0.9 * mrt - eps && rt <= 1.1 * mrt + eps;
            assertThat(doubled || capped).as("RT #%d = %f s after %f s", i + 1, rt, previous).isTrue();
        }
        int transactionId = transmissions.get(0).message().transactionId();
        for (Sent sent : transmissions) {
            assertThat(sent.message().transactionId()).isEqualTo(transactionId);
            long centiseconds = sent.at().minus(transmissions.get(0).at()).toNanos() / 10_000_000L;
            assertThat(sent.elapsedCentiseconds()).isEqualTo((int) Math.min(centiseconds, 0xffff));
        }
        return rts;
    }

    @Test
    void solicitBacksOffToSolMaxRtForEver() {
        double minFirst = Double.MAX_VALUE;
        double maxFirst = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            ClientHarness h = new ClientHarness(ClientHarness.config(false, 1), seed);
            h.client.start();
            h.advance(ofHours(8));
            List<Sent> solicits = h.sent(MessageType.SOLICIT);
            assertThat(solicits).hasSizeGreaterThan(13).allSatisfy(s -> assertThat(s.type()).isEqualTo(MessageType.SOLICIT));
            List<Double> rts = assertSection15(solicits, 1, 3600, true);
            assertThat(rts.get(rts.size() - 1)).isBetween(3240.0, 3960.0);
            // The elapsed time field saturates after 655.35 s.
            assertThat(solicits.get(solicits.size() - 1).elapsedCentiseconds()).isEqualTo(0xffff);
            minFirst = Math.min(minFirst, rts.get(0));
            maxFirst = Math.max(maxFirst, rts.get(0));
        }
        // RAND really is drawn over (0, 0.1] for the first Solicit RT.
        assertThat(minFirst).isLessThan(1.01);
        assertThat(maxFirst).isGreaterThan(1.09);
    }

    @Test
    void requestGivesUpAfterTenTransmissionsAndSolicitsAgain() {
        for (int seed = 0; seed < SEEDS; seed++) {
            ClientHarness h = new ClientHarness(ClientHarness.config(false, 1), seed);
            FakeServer server = h.server(Dhcp6ClientTest.SERVER_A, "fe80::a");
            server.prefixes.put(1L, Dhcp6ClientTest.P1);
            server.answers.retainAll(List.of(FakeServer.Kind.SOLICIT));
            h.client.start();
            h.advance(ofSeconds(300));

            List<Sent> requests = h.sent(MessageType.REQUEST).subList(0, 10);
            assertSection15(requests, 1, 30, false);
            Sent lastRequest = requests.get(9);
            Sent nextSolicit = h.sent(MessageType.SOLICIT).get(1);
            assertThat(h.sent.indexOf(nextSolicit)).isEqualTo(h.sent.indexOf(lastRequest) + 1);
            // The tenth Request still gets its (capped) RT before the exchange fails; then the second Solicit
            // without a binding waits IRT ± 10% (§14.1).
            assertThat(seconds(nextSolicit.at().minus(lastRequest.at()))).isBetween(27.0 + 0.9, 33.0 + 1.1);
        }
    }

    @Test
    void renewRunsUntilT2AndRebindUntilTheValidLifetimeEnds() {
        for (int seed = 0; seed < SEEDS; seed++) {
            ClientHarness h = new ClientHarness(ClientHarness.config(false, 1), seed);
            FakeServer server = h.server(Dhcp6ClientTest.SERVER_A, "fe80::a");
            server.prefixes.put(1L, Dhcp6ClientTest.P1);
            h.client.start();
            h.advance(ofSeconds(2));
            Duration boundAt = Dhcp6ClientTest.boundAt(h);
            server.goAway();
            h.advance(ofHours(1));

            List<Sent> renews = h.sent(MessageType.RENEW);
            assertThat(renews.get(0).at()).isEqualTo(boundAt.plus(ofSeconds(1000)));
            assertSection15(renews, 10, 600, false);
            assertThat(renews.get(renews.size() - 1).at()).isLessThan(boundAt.plus(ofSeconds(1600)));

            List<Sent> rebinds = h.sent(MessageType.REBIND);
            assertThat(rebinds.get(0).at()).isEqualTo(boundAt.plus(ofSeconds(1600)));
            assertSection15(rebinds, 10, 600, false);
            assertThat(rebinds.get(rebinds.size() - 1).at()).isLessThan(boundAt.plus(ofSeconds(3000)));

            assertThat(h.sent(MessageType.SOLICIT).get(1).at()).isEqualTo(boundAt.plus(ofSeconds(3000)));
        }
    }

    @Test
    void releaseIsSentFourTimes() {
        for (int seed = 0; seed < SEEDS; seed++) {
            ClientHarness h = new ClientHarness(ClientHarness.config(false, 1), seed);
            FakeServer server = h.server(Dhcp6ClientTest.SERVER_A, "fe80::a");
            server.prefixes.put(1L, Dhcp6ClientTest.P1);
            h.client.start();
            h.advance(ofSeconds(2));
            server.goAway();
            h.client.release();
            Duration releasedAt = h.time.elapsed();
            h.advance(ofSeconds(30));

            List<Sent> releases = h.sent(MessageType.RELEASE);
            assertThat(releases).hasSize(4);
            List<Double> rts = assertSection15(releases, 1, 0, false);
            assertThat(h.client.state()).isEqualTo(ClientState.STOPPED);
            double total = rts.stream().mapToDouble(Double::doubleValue).sum();
            assertThat(seconds(releases.get(3).at().minus(releasedAt))).isEqualTo(total, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void firstSolicitIsDelayedUpToSolMaxDelayWhenConfigured() {
        double min = Double.MAX_VALUE;
        double max = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            Dhcp6ClientConfig config = new Dhcp6ClientConfig("eth9", ClientHarness.CLIENT_DUID, List.of(1L), 56, false, true);
            ClientHarness h = new ClientHarness(config, seed);
            h.client.start();
            assertThat(h.sent).isEmpty();
            h.advance(ofSeconds(1));
            Sent first = h.sent.get(0);
            assertThat(first.at()).isBetween(Duration.ZERO, ofSeconds(1));
            assertThat(first.elapsedCentiseconds()).isZero();
            min = Math.min(min, seconds(first.at()));
            max = Math.max(max, seconds(first.at()));
        }
        assertThat(min).isLessThan(0.05);
        assertThat(max).isGreaterThan(0.95);
    }

    @Test
    void theFirstRtRunsFromTheWriteSoASlowFirstSendStillCollectsAdvertisesForAWholeRt() {
        for (int seed = 0; seed < SEEDS; seed++) {
            ClientHarness h = new ClientHarness(ClientHarness.config(false, 1), seed);
            // A cold first send: the Solicit reaches the wire 0.5 s after the client handed it over.
            h.writeLatency = Duration.ofMillis(500);
            FakeServer near = h.server(Dhcp6ClientTest.SERVER_A, "fe80::a");
            near.prefixes.put(1L, Dhcp6ClientTest.P1);
            near.preference = 0;
            FakeServer far = h.server(Dhcp6ClientTest.SERVER_B, "fe80::b");
            far.prefixes.put(1L, Dhcp6ClientTest.P2);
            far.preference = 10;
            // Its Advertise arrives 0.95 s after the Solicit is on the wire: within the first RT (> 1 s) counted
            // from the write, but after an RT counted from the hand-over.
            far.latency = Duration.ofMillis(950);
            h.client.start();
            h.advance(ofSeconds(4));

            Sent solicit = h.sent(MessageType.SOLICIT).get(0);
            Sent request = h.sent(MessageType.REQUEST).get(0);
            assertThat(h.sent(MessageType.SOLICIT)).hasSize(1);
            assertThat(request.message().option(ServerIdOption.class)).contains(new ServerIdOption(Dhcp6ClientTest.SERVER_B));
            // Request leaves one write latency after the RT ends.
            double rt = seconds(request.at().minus(solicit.at())) - 0.5;
            assertThat(rt).isGreaterThan(1.0).isLessThanOrEqualTo(1.1 + 1e-6);
        }
    }

    @Test
    void aServerThatAdvertisesButGrantsNothingGetsSolicitsSpacedOutToSolMaxRt() {
        ClientHarness h = new ClientHarness(ClientHarness.config(false, 1), 7);
        FakeServer server = h.server(Dhcp6ClientTest.SERVER_A, "fe80::a");
        server.prefixes.put(1L, Dhcp6ClientTest.P1);
        server.refuse(MessageType.REQUEST, StatusCode.NO_PREFIX_AVAIL);
        h.client.start();
        h.advance(ofHours(6));

        List<Sent> solicits = h.sent(MessageType.SOLICIT);
        List<Sent> requests = h.sent(MessageType.REQUEST);
        // Without the §14.1 limit this would be a Solicit/Request pair every ~1 s: over 20,000 in six hours.
        assertThat(solicits).hasSizeBetween(15, 20);
        assertThat(requests).hasSameSizeAs(solicits);
        for (int i = 1; i < solicits.size(); i++) {
            // From the failed Request's Reply (5 ms after it) to the next Solicit: IRT·2^(i-1) ± 10%, capped at
            // SOL_MAX_RT ± 10%.
            double wait = seconds(solicits.get(i).at().minus(requests.get(i - 1).at())) - 0.005;
            double base = Math.min(Math.pow(2, i - 1), 3600);
            assertThat(wait).as("wait before Solicit %d", i + 1).isBetween(0.9 * base - 1e-6, 1.1 * base + 1e-6);
        }
        assertThat(h.events).isEmpty();

        // Once a server grants again the client is bound, and the next rediscovery (NoBinding at Renew) starts at
        // once: the backoff counts only Solicits without a binding in between.
        server.iaPd = server::defaultIaPd;
        h.advance(ofHours(2));
        assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
        server.refuse(MessageType.RENEW, StatusCode.NO_BINDING);
        Duration changed = h.time.elapsed();
        h.advance(ofSeconds(1100));
        Sent renew = h.sent(MessageType.RENEW).stream().filter(r -> r.at().compareTo(changed) > 0).findFirst()
                .orElseThrow();
        Sent next = h.sent.get(h.sent.indexOf(renew) + 1);
        assertThat(next.type()).isEqualTo(MessageType.SOLICIT);
        assertThat(next.at()).isEqualTo(renew.at().plus(Duration.ofMillis(5)));
    }
}
