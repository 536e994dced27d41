package io.kubepd.agent.client;

import static io.kubepd.agent.client.FakeServer.ip;
import static java.time.Duration.ofDays;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.kubepd.agent.client.ClientHarness.Sent;
import io.kubepd.agent.client.LeaseEvent.Type;
import io.kubepd.agent.codec.Dhcp6Message;
import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.codec.MessageType;
import io.kubepd.agent.codec.OptionCode;
import io.kubepd.agent.codec.StatusCode;
import io.kubepd.agent.codec.option.ClientIdOption;
import io.kubepd.agent.codec.option.DnsServersOption;
import io.kubepd.agent.codec.option.DomainListOption;
import io.kubepd.agent.codec.option.ElapsedTimeOption;
import io.kubepd.agent.codec.option.IaPdOption;
import io.kubepd.agent.codec.option.IaPrefixOption;
import io.kubepd.agent.codec.option.OroOption;
import io.kubepd.agent.codec.option.PdExcludeOption;
import io.kubepd.agent.codec.option.RapidCommitOption;
import io.kubepd.agent.codec.option.ReconfAcceptOption;
import io.kubepd.agent.codec.option.ServerIdOption;
import io.kubepd.agent.codec.option.ServerUnicastOption;
import io.kubepd.agent.codec.option.SolMaxRtOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class Dhcp6ClientTest {
    static final Duid SERVER_A = Duid.llt(ClientHarness.START.minusSeconds(86_400), new byte[] {0x52, 0x54, 0, 0, 0, 0xa});
    static final Duid SERVER_B = Duid.ll(new byte[] {0x52, 0x54, 0, 0, 0, 0xb});
    static final String P1 = "2001:db8:1:100::/56";
    static final String P2 = "2001:db8:2:200::/56";
    static final String P3 = "2001:db8:3:300::/56";

    /** A client with IA_PD 1 and server A delegating P1 with T1 1000, T2 1600, lifetimes 2000/3000. */
    static ClientHarness harness() {
        ClientHarness h = new ClientHarness(1);
        h.server(SERVER_A, "fe80::a").prefixes.put(1L, P1);
        return h;
    }

    static FakeServer a(ClientHarness h) {
        return h.servers.get(0);
    }

    /** Starts the client and lets Solicit/Advertise/Request/Reply complete. */
    static void bind(ClientHarness h) {
        h.client.start();
        h.advance(ofSeconds(2));
        assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
    }

    /** When the first Reply to Request arrived. */
    static Duration boundAt(ClientHarness h) {
        return h.sent(MessageType.REQUEST).get(0).at().plus(ofMillis(5));
    }

    static IaPdOption iaPd(Sent sent, long iaid) {
        return sent.message().options(IaPdOption.class).stream().filter(ia -> ia.iaid() == iaid).findFirst().orElseThrow();
    }

    static List<String> cidrs(IaPdOption iaPd) {
        return iaPd.prefixes().stream().map(IaPrefixOption::cidr).toList();
    }

    @Nested
    class ServerDiscovery {
        @Test
        void solicitAdvertiseRequestReplyBindsThePrefix() {
            ClientHarness h = harness();
            h.client.start();

            Sent solicit = h.sent.get(0);
            assertThat(solicit.type()).isEqualTo(MessageType.SOLICIT);
            assertThat(solicit.at()).isEqualTo(Duration.ZERO);
            assertThat(solicit.destination()).isEqualTo(Destination.ALL_DHCP_RELAY_AGENTS_AND_SERVERS);
            assertThat(solicit.message().options()).containsExactly(
                    new ClientIdOption(ClientHarness.CLIENT_DUID),
                    new ElapsedTimeOption(0),
                    OroOption.of(OptionCode.SOL_MAX_RT, OptionCode.PD_EXCLUDE, OptionCode.DNS_SERVERS,
                            OptionCode.DOMAIN_LIST),
                    new ReconfAcceptOption(),
                    IaPdOption.of(1, 0, 0, IaPrefixOption.of(0, 0, 56, ip("::"))));

            // Advertises are collected for the whole first RT, which is strictly more than 1 s.
            h.advance(ofMillis(1000));
            assertThat(h.client.state()).isEqualTo(ClientState.SOLICITING);
            assertThat(h.sent(MessageType.REQUEST)).isEmpty();
            h.advance(ofMillis(200));

            Sent request = h.sent(MessageType.REQUEST).get(0);
            assertThat(request.at()).isGreaterThan(ofSeconds(1)).isLessThanOrEqualTo(ofMillis(1100));
            assertThat(request.message().option(ServerIdOption.class)).contains(new ServerIdOption(SERVER_A));
            assertThat(cidrs(iaPd(request, 1))).containsExactly(P1);
            assertThat(request.elapsedCentiseconds()).isZero();
            assertThat(request.message().transactionId()).isNotEqualTo(solicit.message().transactionId());

            assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
            assertThat(h.eventTypes()).containsExactly(Type.BOUND);
            Lease lease = h.lastEvent().lease();
            assertThat(lease.iaid()).isEqualTo(1);
            assertThat(lease.cidr()).isEqualTo(P1);
            assertThat(lease.prefix()).isEqualTo("2001:db8:1:100::");
            assertThat(lease.preferredLifetime()).isEqualTo(2000);
            assertThat(lease.validLifetime()).isEqualTo(3000);
            assertThat(lease.t1()).isEqualTo(1000);
            assertThat(lease.t2()).isEqualTo(1600);
            assertThat(lease.serverDuid()).isEqualTo(SERVER_A.toString());
            assertThat(lease.renewedAt()).isEqualTo(ClientHarness.START.plus(request.at()).plus(ofMillis(5)));
            assertThat(lease.obtainedAt()).isEqualTo(lease.renewedAt());
            assertThat(lease.expiresAt()).isEqualTo(lease.renewedAt().plusSeconds(3000));
            assertThat(lease.state()).isEqualTo(Lease.State.ACTIVE);
            assertThat(h.client.leases()).containsExactly(lease);
            assertThat(h.timers()).containsExactly("eth9/t1", "eth9/expiry");
            assertThat(h.time.untilDue("eth9/t1")).isEqualTo(boundAt(h).plus(ofSeconds(1000)).minus(h.time.elapsed()));
        }

        @Test
        void theReplysDnsServersAndSearchDomainsAreKeptWithEachLeaseAndFollowTheNextReply() {
            ClientHarness h = harness();
            FakeServer a = a(h);
            a.extraOptions.add(new DnsServersOption(List.of(ip("2001:db8::53"), ip("2001:db8::35"))));
            a.extraOptions.add(new DomainListOption(List.of("example.net")));
            bind(h);
            assertThat(h.lastEvent().lease().dns())
                    .isEqualTo(new DnsConfig(List.of("2001:db8::53", "2001:db8::35"), List.of("example.net")));

            // The server stops sending them: the renewed lease says so instead of keeping stale resolvers.
            a.extraOptions.clear();
            h.advance(ofSeconds(1001));
            assertThat(h.eventTypes()).containsExactly(Type.BOUND, Type.RENEWED);
            assertThat(h.lastEvent().lease().dns()).isEqualTo(DnsConfig.NONE);
        }

        @Test
        void highestPreferenceWinsAfterTheFirstRt() {
            ClientHarness h = harness();
            a(h).preference = 10;
            FakeServer b = h.server(SERVER_B, "fe80::b");
            b.prefixes.put(1L, P2);
            b.preference = 50;
            b.latency = ofMillis(300);
            h.client.start();
            h.advance(ofMillis(990));
            assertThat(h.sent(MessageType.REQUEST)).isEmpty();
            h.advance(ofSeconds(1));

            Sent request = h.sent(MessageType.REQUEST).get(0);
            assertThat(request.message().option(ServerIdOption.class)).contains(new ServerIdOption(SERVER_B));
            assertThat(h.client.leases()).extracting(Lease::cidr).containsExactly(P2);
        }

        @Test
        void equalPreferencesPickTheFirstAdvertise() {
            ClientHarness h = harness();
            FakeServer b = h.server(SERVER_B, "fe80::b");
            b.prefixes.put(1L, P2);
            b.latency = ofMillis(50);
            bind(h);
            assertThat(h.client.leases()).extracting(Lease::serverDuid).containsExactly(SERVER_A.toString());
        }

        @Test
        void preference255IsRequestedAtOnce() {
            ClientHarness h = harness();
            FakeServer b = h.server(SERVER_B, "fe80::b");
            b.prefixes.put(1L, P2);
            b.preference = 255;
            b.latency = ofMillis(40);
            h.client.start();
            h.advance(ofMillis(41));

            assertThat(h.sent(MessageType.REQUEST)).singleElement().satisfies(request -> {
                assertThat(request.at()).isEqualTo(ofMillis(40));
                assertThat(request.message().option(ServerIdOption.class)).contains(new ServerIdOption(SERVER_B));
            });
        }

        @Test
        void afterTheFirstRtTheFirstAdvertiseIsTakenAtOnce() {
            ClientHarness h = harness();
            a(h).latency = ofMillis(1500);
            h.client.start();
            h.advance(ofMillis(1499));
            assertThat(h.sent(MessageType.SOLICIT)).hasSize(2);
            h.advance(ofMillis(2));
            assertThat(h.sent(MessageType.REQUEST)).singleElement()
                    .satisfies(request -> assertThat(request.at()).isEqualTo(ofMillis(1500)));
        }

        @Test
        void noPrefixAvailAdvertiseIsIgnoredAndSolicitingGoesOn() {
            ClientHarness h = harness();
            a(h).iaStatus.put(1L, StatusCode.NO_PREFIX_AVAIL);
            h.client.start();
            h.advance(ofSeconds(10));
            assertThat(h.client.state()).isEqualTo(ClientState.SOLICITING);
            assertThat(h.sent(MessageType.REQUEST)).isEmpty();
            assertThat(h.sent(MessageType.SOLICIT)).hasSizeGreaterThan(2);
            assertThat(h.client.dropCounts()).containsEntry(DropReason.NO_USABLE_PREFIX, (long) h.sent.size());

            a(h).iaStatus.clear();
            h.advance(ofSeconds(30));
            assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
        }

        @Test
        void solMaxRtFromAnIgnoredAdvertiseCapsSolicitRetransmission() {
            ClientHarness h = harness();
            a(h).iaStatus.put(1L, StatusCode.NO_PREFIX_AVAIL);
            a(h).extraOptions.add(new SolMaxRtOption(120));
            h.client.start();
            h.advance(ofHours(1));
            assertThat(h.client.solMaxRt()).isEqualTo(ofSeconds(120));
            List<Sent> solicits = h.sent(MessageType.SOLICIT);
            Duration lastGap = solicits.get(solicits.size() - 1).at().minus(solicits.get(solicits.size() - 2).at());
            assertThat(lastGap).isBetween(ofSeconds(108), ofSeconds(132));
        }

        @Test
        void solMaxRtOutsideItsRangeIsIgnored() {
            ClientHarness h = harness();
            a(h).extraOptions.add(new SolMaxRtOption(59));
            bind(h);
            assertThat(h.client.solMaxRt()).isEqualTo(ofSeconds(3600));
            a(h).extraOptions.set(0, new SolMaxRtOption(86_401));
            h.advance(ofSeconds(1001));
            assertThat(h.client.solMaxRt()).isEqualTo(ofSeconds(3600));
        }
    }

    @Nested
    class RapidCommit {
        @Test
        void replyWithRapidCommitBindsWithoutRequest() {
            ClientHarness h = new ClientHarness(ClientHarness.config(true, 1), 1);
            FakeServer a = h.server(SERVER_A, "fe80::a");
            a.prefixes.put(1L, P1);
            a.rapidCommit = true;
            h.client.start();
            assertThat(h.sent.get(0).message().option(RapidCommitOption.class)).isPresent();
            h.advance(ofMillis(10));
            assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
            assertThat(h.sent(MessageType.REQUEST)).isEmpty();
            assertThat(h.eventTypes()).containsExactly(Type.BOUND);
        }

        @Test
        void serverWithoutRapidCommitFallsBackToRequest() {
            ClientHarness h = new ClientHarness(ClientHarness.config(true, 1), 1);
            h.server(SERVER_A, "fe80::a").prefixes.put(1L, P1);
            bind(h);
            assertThat(h.sent(MessageType.REQUEST)).hasSize(1);
        }

        @Test
        void replyToSolicitIsDroppedUnlessRapidCommitWasOffered() {
            ClientHarness h = harness();
            h.client.start();
            Dhcp6Message reply = Dhcp6Message.of(MessageType.REPLY, h.sent.get(0).message().transactionId(),
                    new ClientIdOption(ClientHarness.CLIENT_DUID), new ServerIdOption(SERVER_A), new RapidCommitOption(),
                    IaPdOption.of(1, 1000, 1600, FakeServer.prefix(P1, 2000, 3000)));
            h.deliver(reply, a(h));
            assertThat(h.client.dropCounts()).containsEntry(DropReason.NO_RAPID_COMMIT, 1L);
            assertThat(h.client.state()).isEqualTo(ClientState.SOLICITING);
        }
    }

    @Nested
    class RenewAndRebind {
        @Test
        void renewAtT1ExtendsTheLease() {
            ClientHarness h = harness();
            bind(h);
            Duration boundAt = boundAt(h);
            h.advance(ofSeconds(999));
            assertThat(h.sent(MessageType.RENEW)).isEmpty();
            h.advance(ofSeconds(1));

            Sent renew = h.sent(MessageType.RENEW).get(0);
            assertThat(renew.at()).isEqualTo(boundAt.plus(ofSeconds(1000)));
            assertThat(renew.message().option(ServerIdOption.class)).contains(new ServerIdOption(SERVER_A));
            assertThat(renew.message().option(ReconfAcceptOption.class)).isPresent();
            assertThat(renew.elapsedCentiseconds()).isZero();
            assertThat(iaPd(renew, 1)).isEqualTo(IaPdOption.of(1, 0, 0, FakeServer.prefix(P1, 0, 0)));
            assertThat(h.eventTypes()).containsExactly(Type.BOUND, Type.RENEWED);
            assertThat(h.lastEvent().lease().obtainedAt()).isEqualTo(h.events.get(0).lease().obtainedAt());
            assertThat(h.lastEvent().lease().renewedAt()).isAfter(h.events.get(0).lease().renewedAt());
            assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
        }

        @Test
        void silentServerLeadsToRebindAtT2AndAnotherServerAnswers() {
            ClientHarness h = harness();
            bind(h);
            Duration boundAt = boundAt(h);
            a(h).goAway();
            FakeServer b = h.server(SERVER_B, "fe80::b");
            b.answers.retainAll(List.of(FakeServer.Kind.REBIND));
            b.prefixes.put(1L, P1);
            h.advance(ofSeconds(1599));

            List<Sent> renews = h.sent(MessageType.RENEW);
            assertThat(renews).hasSizeBetween(5, 8);
            assertThat(renews).allSatisfy(renew -> assertThat(renew.at()).isBetween(boundAt.plus(ofSeconds(1000)), boundAt.plus(ofSeconds(1600))));
            assertThat(h.sent(MessageType.REBIND)).isEmpty();
            assertThat(h.client.state()).isEqualTo(ClientState.RENEWING);
            h.advance(ofSeconds(2));

            Sent rebind = h.sent(MessageType.REBIND).get(0);
            assertThat(rebind.at()).isEqualTo(boundAt.plus(ofSeconds(1600)));
            assertThat(rebind.message().option(ServerIdOption.class)).isEmpty();
            assertThat(cidrs(iaPd(rebind, 1))).containsExactly(P1);
            assertThat(h.eventTypes()).containsExactly(Type.BOUND, Type.REBOUND);
            assertThat(h.client.leases()).extracting(Lease::serverDuid).containsExactly(SERVER_B.toString());
            // Renew now goes to the server that answered the Rebind.
            h.advance(ofSeconds(1000));
            assertThat(h.sent(MessageType.RENEW).get(renews.size()).message().option(ServerIdOption.class))
                    .contains(new ServerIdOption(SERVER_B));
        }

        @Test
        void serverGoneRebindsUntilExpiryThenSolicitsWithBackoff() {
            ClientHarness h = harness();
            bind(h);
            Duration boundAt = boundAt(h);
            a(h).goAway();
            h.advance(ofSeconds(2998));
            assertThat(h.client.state()).isEqualTo(ClientState.REBINDING);
            assertThat(h.sent(MessageType.REBIND)).allSatisfy(rebind ->
                    assertThat(rebind.at()).isBetween(boundAt.plus(ofSeconds(1600)), boundAt.plus(ofSeconds(3000))));
            h.advance(ofSeconds(2));

            assertThat(h.eventTypes()).containsExactly(Type.BOUND, Type.EXPIRED);
            assertThat(h.lastEvent().lease().state()).isEqualTo(Lease.State.EXPIRED);
            assertThat(h.client.state()).isEqualTo(ClientState.SOLICITING);
            List<Sent> solicits = h.sent(MessageType.SOLICIT);
            assertThat(solicits.get(1).at()).isEqualTo(boundAt.plus(ofSeconds(3000)));
            assertThat(h.client.leases()).isEmpty();

            h.advance(ofHours(3));
            List<Sent> later = h.sent(MessageType.SOLICIT).subList(1, h.sent(MessageType.SOLICIT).size());
            assertThat(later.get(later.size() - 1).at().minus(later.get(later.size() - 2).at()))
                    .isBetween(ofSeconds(3240), ofSeconds(3960));

            a(h).answers.addAll(List.of(FakeServer.Kind.values()));
            h.advance(ofHours(2));
            assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
            assertThat(h.eventTypes().subList(0, 3)).containsExactly(Type.BOUND, Type.EXPIRED, Type.BOUND);
        }

        @Test
        void aWholeDayOfRenewals() {
            ClientHarness h = harness();
            bind(h);
            h.advance(ofHours(24));
            assertThat(h.sent(MessageType.RENEW)).hasSize(86);
            assertThat(h.sent(MessageType.REBIND)).isEmpty();
            assertThat(h.eventTypes()).hasSize(87).first().isEqualTo(Type.BOUND);
            assertThat(h.eventTypes().subList(1, 87)).containsOnly(Type.RENEWED);
            assertThat(h.client.dropCounts()).isEmpty();
            assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
        }

        @Test
        void noBindingAtRenewSolicitsWithTheHeldPrefixAsHintAndKeepsItWhenGrantedAgain() {
            ClientHarness h = harness();
            FakeServer a = a(h);
            bind(h);
            a.refuse(MessageType.RENEW, StatusCode.NO_BINDING);
            h.advance(ofSeconds(1003));

            assertThat(h.sent.stream().map(Sent::type)).containsExactly(MessageType.SOLICIT, MessageType.REQUEST,
                    MessageType.RENEW, MessageType.SOLICIT, MessageType.REQUEST);
            Sent renew = h.sent(MessageType.RENEW).get(0);
            Sent solicit = h.sent(MessageType.SOLICIT).get(1);
            // Rediscovery starts at once, not after a backoff: the client was bound.
            assertThat(solicit.at()).isEqualTo(renew.at().plus(ofMillis(5)));
            assertThat(solicit.message().option(ServerIdOption.class)).isEmpty();
            assertThat(cidrs(iaPd(solicit, 1))).containsExactly(P1);
            // The prefix never left: renewed, not withdrawn and bound again.
            assertThat(h.eventTypes()).containsExactly(Type.BOUND, Type.RENEWED);
            assertThat(h.client.leases()).extracting(Lease::cidr, Lease::state)
                    .containsExactly(tuple(P1, Lease.State.ACTIVE));
            assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
        }

        @Test
        void noBindingAtRenewEndsTheDisownedPrefixWhenAnotherIsDelegated() {
            ClientHarness h = harness();
            FakeServer a = a(h);
            bind(h);
            a.refuse(MessageType.RENEW, StatusCode.NO_BINDING);
            a.prefixes.put(1L, P2);
            h.advance(ofSeconds(1003));

            // Not drained like a renumbered prefix: the server that delegated it no longer routes it here.
            assertThat(h.eventTypes()).containsExactly(Type.BOUND, Type.CHANGED, Type.WITHDRAWN);
            assertThat(h.events.get(1).lease().cidr()).isEqualTo(P2);
            assertThat(h.events.get(2).lease().cidr()).isEqualTo(P1);
            assertThat(h.client.leases()).extracting(Lease::cidr).containsExactly(P2);
            assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
        }

        @Test
        void noBindingThenSilenceKeepsThePrefixUntilItsValidLifetimeEnds() {
            ClientHarness h = harness();
            FakeServer a = a(h);
            bind(h);
            a.iaStatus.put(1L, StatusCode.NO_BINDING);
            a.answers.remove(FakeServer.Kind.REQUEST);
            a.answers.remove(FakeServer.Kind.SOLICIT);
            h.advance(ofSeconds(1300));

            assertThat(h.sent(MessageType.REQUEST)).hasSize(1);
            assertThat(h.sent(MessageType.SOLICIT)).hasSizeGreaterThan(5);
            assertThat(h.client.state()).isEqualTo(ClientState.SOLICITING);
            assertThat(h.eventTypes()).containsExactly(Type.BOUND);

            h.advance(ofSeconds(2000));
            assertThat(h.eventTypes()).containsExactly(Type.BOUND, Type.EXPIRED);
            assertThat(h.client.leases()).isEmpty();
            assertThat(h.client.state()).isEqualTo(ClientState.SOLICITING);
        }

        @Test
        void noBindingAtRebindSolicitsAndTakesWhatTheAnsweringServerDelegates() {
            ClientHarness h = harness();
            bind(h);
            a(h).goAway();
            FakeServer b = h.server(SERVER_B, "fe80::b");
            b.answers.retainAll(List.of(FakeServer.Kind.REBIND, FakeServer.Kind.SOLICIT, FakeServer.Kind.REQUEST));
            b.prefixes.put(1L, P2);
            b.refuse(MessageType.REBIND, StatusCode.NO_BINDING);
            h.advance(ofSeconds(1603));

            assertThat(h.sent.stream().map(Sent::type)).endsWith(MessageType.REBIND, MessageType.SOLICIT,
                    MessageType.REQUEST);
            assertThat(h.last().message().option(ServerIdOption.class)).contains(new ServerIdOption(SERVER_B));
            assertThat(h.eventTypes()).containsExactly(Type.BOUND, Type.CHANGED, Type.WITHDRAWN);
            assertThat(h.client.leases()).extracting(Lease::cidr, Lease::state)
                    .containsExactly(tuple(P2, Lease.State.ACTIVE));
        }

        @Test
        void renumberingAtRenewThatEndsTheOldPrefixNamesTheNewOneFirst() {
            ClientHarness h = harness();
            FakeServer a = a(h);
            bind(h);
            // As Kea answers once the old prefix left its pools: the old one with lifetimes 0, a new one beside it.
            a.iaPd = (iaid, answered) -> IaPdOption.of(iaid, 1000, 1600,
                    FakeServer.prefix(P1, 0, 0), FakeServer.prefix(P2, 2000, 3000));
            h.advance(ofSeconds(1000));

            assertThat(h.eventTypes()).containsExactly(Type.BOUND, Type.CHANGED, Type.WITHDRAWN);
            assertThat(h.events.get(1).lease().cidr()).isEqualTo(P2);
            assertThat(h.events.get(2).lease().cidr()).isEqualTo(P1);
            assertThat(h.events.get(2).lease().state()).isEqualTo(Lease.State.WITHDRAWN);
            assertThat(h.client.leases()).extracting(Lease::cidr).containsExactly(P2);
        }

        @Test
        void renumberingAtRenewDrainsTheOldPrefixUntilItExpires() {
            ClientHarness h = harness();
            bind(h);
            Lease first = h.client.leases().get(0);
            a(h).prefixes.put(1L, P2);
            h.advance(ofSeconds(1000));

            assertThat(h.eventTypes()).containsExactly(Type.BOUND, Type.CHANGED, Type.DRAINING);
            assertThat(h.events.get(1).lease().cidr()).isEqualTo(P2);
            assertThat(h.events.get(2).lease().cidr()).isEqualTo(P1);
            assertThat(h.events.get(2).lease().expiresAt()).isEqualTo(first.expiresAt());

            h.advance(ofSeconds(1000));
            assertThat(cidrs(iaPd(h.sent(MessageType.RENEW).get(1), 1))).containsExactly(P2);

            h.advance(ofSeconds(1010));
            assertThat(h.eventTypes()).containsExactly(Type.BOUND, Type.CHANGED, Type.DRAINING, Type.RENEWED,
                    Type.EXPIRED, Type.RENEWED);
            assertThat(h.events.get(4).lease().cidr()).isEqualTo(P1);
            assertThat(h.client.leases()).extracting(Lease::cidr).containsExactly(P2);
            assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
        }

        @Test
        void validLifetimeZeroWithdrawsThePrefix() {
            ClientHarness h = harness();
            FakeServer a = a(h);
            bind(h);
            a.valid = 0;
            a.preferred = 0;
            h.advance(ofSeconds(1001));
            assertThat(h.eventTypes()).containsExactly(Type.BOUND, Type.WITHDRAWN);
            assertThat(h.lastEvent().lease().state()).isEqualTo(Lease.State.WITHDRAWN);
            assertThat(h.client.state()).isEqualTo(ClientState.SOLICITING);
        }

        @Test
        void useMulticastSwitchesFromTheServersUnicastAddress() {
            ClientHarness h = harness();
            FakeServer a = a(h);
            a.extraOptions.add(new ServerUnicastOption(ip("2001:db8::a")));
            bind(h);
            a.replyStatus = StatusCode.USE_MULTICAST;
            h.advance(ofSeconds(1000).plus(ofMillis(20)));

            List<Sent> renews = h.sent(MessageType.RENEW);
            assertThat(renews).hasSize(2);
            assertThat(renews.get(0).destination()).isEqualTo(new Destination(ip("2001:db8::a")));
            assertThat(renews.get(1).destination()).isEqualTo(Destination.ALL_DHCP_RELAY_AGENTS_AND_SERVERS);
            assertThat(renews.get(1).message().transactionId()).isEqualTo(renews.get(0).message().transactionId());
            assertThat(renews.get(1).at().minus(renews.get(0).at())).isEqualTo(ofMillis(5));
            // The multicast Renew drew UseMulticast again: nothing more to switch, so it is dropped.
            assertThat(h.client.dropCounts()).containsEntry(DropReason.SERVER_FAILURE, 1L);

            a.replyStatus = null;
            h.advance(ofSeconds(30));
            assertThat(h.lastEvent().type()).isEqualTo(Type.RENEWED);
        }

        @Test
        void unspecFailKeepsRetransmitting() {
            ClientHarness h = harness();
            FakeServer a = a(h);
            h.client.start();
            a.replyStatus = StatusCode.UNSPEC_FAIL;
            h.advance(ofSeconds(5));
            assertThat(h.client.state()).isEqualTo(ClientState.REQUESTING);
            assertThat(h.client.dropCounts().get(DropReason.SERVER_FAILURE)).isEqualTo(h.sent(MessageType.REQUEST).size());
            a.replyStatus = null;
            h.advance(ofSeconds(10));
            assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
        }

        @Test
        void notOnLinkToRequestRestartsDiscovery() {
            ClientHarness h = harness();
            a(h).replyStatus = StatusCode.NOT_ON_LINK;
            h.client.start();
            h.advance(ofMillis(2400));
            assertThat(h.sent.stream().map(Sent::type))
                    .containsExactly(MessageType.SOLICIT, MessageType.REQUEST, MessageType.SOLICIT);
            assertThat(h.client.state()).isEqualTo(ClientState.SOLICITING);
        }
    }

    @Nested
    class Lifetimes {
        @Test
        void zeroT1AndT2AreChosenFromTheShortestPreferredLifetime() {
            ClientHarness h = harness();
            a(h).t1 = 0;
            a(h).t2 = 0;
            bind(h);
            Lease lease = h.client.leases().get(0);
            assertThat(lease.t1()).isEqualTo(1000);
            assertThat(lease.t2()).isEqualTo(1600);
            assertThat(h.time.untilDue("eth9/t1")).isEqualTo(boundAt(h).plus(ofSeconds(1000)).minus(h.time.elapsed()));
        }

        @Test
        void t1AboveT2DiscardsTheIaPd() {
            ClientHarness h = harness();
            FakeServer a = a(h);
            a.iaPd = (iaid, answered) -> answered.equals(MessageType.SOLICIT)
                    ? a.defaultIaPd(iaid, answered)
                    : IaPdOption.of(iaid, 2000, 1000, FakeServer.prefix(P1, 2000, 3000));
            h.client.start();
            h.advance(ofMillis(2400));
            assertThat(h.events).isEmpty();
            assertThat(h.sent.stream().map(Sent::type))
                    .containsExactly(MessageType.SOLICIT, MessageType.REQUEST, MessageType.SOLICIT);
        }

        @Test
        void t1AboveT2InAnAdvertiseMakesItUnusable() {
            ClientHarness h = harness();
            a(h).t1 = 2000;
            a(h).t2 = 1000;
            h.client.start();
            h.advance(ofSeconds(5));
            assertThat(h.client.state()).isEqualTo(ClientState.SOLICITING);
            assertThat(h.client.dropCounts()).containsKey(DropReason.NO_USABLE_PREFIX);
        }

        @Test
        void infiniteLifetimesNeverRenewNorExpire() {
            ClientHarness h = harness();
            FakeServer a = a(h);
            a.t1 = IaPdOption.INFINITY;
            a.t2 = IaPdOption.INFINITY;
            a.preferred = IaPdOption.INFINITY;
            a.valid = IaPdOption.INFINITY;
            bind(h);
            assertThat(h.client.leases().get(0).expiresAt()).isNull();
            assertThat(h.timers()).isEmpty();
            int sent = h.sent.size();
            h.advance(ofDays(3650));
            assertThat(h.sent).hasSize(sent);
            assertThat(h.eventTypes()).containsExactly(Type.BOUND);
        }

        @Test
        void prefixWithPreferredAboveValidIsIgnored() {
            ClientHarness h = harness();
            FakeServer a = a(h);
            a.iaPd = (iaid, answered) -> IaPdOption.of(iaid, 1000, 1600,
                    FakeServer.prefix(P1, 4000, 3000), FakeServer.prefix(P2, 2000, 3000));
            bind(h);
            assertThat(h.client.leases()).extracting(Lease::cidr).containsExactly(P2);
        }
    }

    @Nested
    class PrefixExclude {
        static final String EXCLUDED = "2001:db8:1:100::/64";

        @Test
        void everyMessageButReleaseAsksForPdExclude() {
            ClientHarness h = harness();
            bind(h);
            a(h).goAway();
            h.advance(ofSeconds(3000));
            a(h).answers.addAll(List.of(FakeServer.Kind.values()));
            h.advance(ofHours(2));
            h.client.release();
            h.advance(ofSeconds(10));

            assertThat(h.sent.stream().map(Sent::type).distinct()).containsExactlyInAnyOrder(MessageType.SOLICIT,
                    MessageType.REQUEST, MessageType.RENEW, MessageType.REBIND, MessageType.RELEASE);
            assertThat(h.sent).allSatisfy(sent -> assertThat(sent.message().option(OroOption.class))
                    .as(sent.type().toString())
                    .isEqualTo(sent.type().equals(MessageType.RELEASE) ? Optional.empty()
                            : Optional.of(OroOption.of(OptionCode.SOL_MAX_RT, OptionCode.PD_EXCLUDE, OptionCode.DNS_SERVERS,
                            OptionCode.DOMAIN_LIST))));
        }

        @Test
        void theExcludedPrefixRidesOnTheLeaseAndFollowsRenewals() {
            ClientHarness h = harness();
            a(h).excludedPrefixes.put(1L, EXCLUDED);
            bind(h);
            assertThat(h.lastEvent().type()).isEqualTo(Type.BOUND);
            assertThat(h.lastEvent().lease().excludedPrefix()).isEqualTo(EXCLUDED);
            assertThat(h.client.leases()).extracting(Lease::excludedPrefix).containsExactly(EXCLUDED);

            a(h).excludedPrefixes.put(1L, "2001:db8:1:1fc::/62");
            h.advance(ofSeconds(1000));
            assertThat(h.lastEvent().type()).isEqualTo(Type.RENEWED);
            assertThat(h.lastEvent().lease().excludedPrefix()).isEqualTo("2001:db8:1:1fc::/62");

            a(h).excludedPrefixes.clear();
            h.advance(ofSeconds(1000));
            assertThat(h.lastEvent().type()).isEqualTo(Type.RENEWED);
            assertThat(h.lastEvent().lease().excludedPrefix()).isNull();
        }

        @Test
        void aPdExcludeThatDoesNotFitIsIgnoredAndThePrefixStillBinds() {
            ClientHarness h = harness();
            // /56 is not longer than the delegated /56.
            a(h).iaPd = (iaid, answered) -> IaPdOption.of(iaid, 1000, 1600,
                    FakeServer.prefix(P1, 2000, 3000, new PdExcludeOption(56, new byte[] {0})));
            bind(h);
            assertThat(h.client.leases()).singleElement().satisfies(lease -> {
                assertThat(lease.cidr()).isEqualTo(P1);
                assertThat(lease.excludedPrefix()).isNull();
            });
            assertThat(h.client.dropCounts()).isEmpty();

            // A subnet ID of two octets where /56 to /64 takes one.
            a(h).iaPd = (iaid, answered) -> IaPdOption.of(iaid, 1000, 1600,
                    FakeServer.prefix(P1, 2000, 3000, new PdExcludeOption(64, new byte[] {0, 1})));
            h.advance(ofSeconds(1000));
            assertThat(h.lastEvent().type()).isEqualTo(Type.RENEWED);
            assertThat(h.lastEvent().lease().excludedPrefix()).isNull();
        }

        @Test
        void twoPdExcludesInOnePrefixAreBothIgnored() {
            ClientHarness h = harness();
            a(h).iaPd = (iaid, answered) -> IaPdOption.of(iaid, 1000, 1600, FakeServer.prefix(P1, 2000, 3000,
                    FakeServer.pdExclude(P1, EXCLUDED), FakeServer.pdExclude(P1, "2001:db8:1:101::/64")));
            bind(h);
            assertThat(h.client.leases()).extracting(Lease::cidr, Lease::excludedPrefix)
                    .containsExactly(tuple(P1, null));
        }
    }

    @Nested
    class SeveralIaPds {
        @Test
        void eachIaIsItsOwnLeaseInOneExchange() {
            ClientHarness h = new ClientHarness(1, 2);
            FakeServer a = h.server(SERVER_A, "fe80::a");
            a.prefixes.put(1L, P1);
            a.prefixes.put(2L, P2);
            bind(h);
            assertThat(h.sent(MessageType.SOLICIT).get(0).message().options(IaPdOption.class))
                    .extracting(IaPdOption::iaid).containsExactly(1L, 2L);
            assertThat(h.events).extracting(e -> e.lease().iaid(), e -> e.type())
                    .containsExactly(tuple(1L, Type.BOUND),
                            tuple(2L, Type.BOUND));

            // The server ends IA 2's prefix only: IA 1 is untouched.
            a.iaPd = (iaid, answered) -> iaid == 2
                    ? IaPdOption.of(2, 1000, 1600, FakeServer.prefix(P2, 0, 0))
                    : a.defaultIaPd(iaid, answered);
            h.advance(ofSeconds(1000));
            assertThat(h.events.subList(2, 4)).extracting(e -> e.lease().iaid(), e -> e.type())
                    .containsExactly(tuple(1L, Type.RENEWED),
                            tuple(2L, Type.WITHDRAWN));
            assertThat(h.client.leases()).extracting(Lease::cidr).containsExactly(P1);
            assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
        }

        @Test
        void anIaWithoutPrefixIsAskedForAgainAtRenew() {
            ClientHarness h = new ClientHarness(1, 2);
            FakeServer a = h.server(SERVER_A, "fe80::a");
            a.prefixes.put(1L, P1);
            a.iaStatus.put(2L, StatusCode.NO_PREFIX_AVAIL);
            bind(h);
            assertThat(h.client.leases()).extracting(Lease::iaid).containsExactly(1L);

            a.iaStatus.clear();
            a.prefixes.put(2L, P3);
            h.advance(ofSeconds(1000));
            Sent renew = h.sent(MessageType.RENEW).get(0);
            assertThat(iaPd(renew, 2)).isEqualTo(IaPdOption.of(2, 0, 0, IaPrefixOption.of(0, 0, 56, ip("::"))));
            assertThat(h.events.subList(1, 3)).extracting(e -> e.lease().iaid(), e -> e.type())
                    .containsExactly(tuple(1L, Type.RENEWED),
                            tuple(2L, Type.BOUND));
        }
        @Test
        void anIaTheReplyDoesNotRefreshDoesNotTriggerAnImmediateRenew() {
            ClientHarness h = new ClientHarness(1, 2);
            FakeServer a = h.server(SERVER_A, "fe80::a");
            a.iaPd = (iaid, answered) -> iaid == 1
                    ? IaPdOption.of(1, 1000, 1600, FakeServer.prefix(P1, 2000, 3000))
                    : IaPdOption.of(2, 1000, 1600, FakeServer.prefix(P2, 2000, 3000), FakeServer.prefix(P3, 2000, 3000));
            bind(h);
            // At Renew the server ends P2 and says nothing about P3: P3 is left as it is (§18.2.10.1).
            a.iaPd = (iaid, answered) -> iaid == 1
                    ? IaPdOption.of(1, 1000, 1600, FakeServer.prefix(P1, 2000, 3000))
                    : IaPdOption.of(2, 1000, 1600, FakeServer.prefix(P2, 0, 0));
            h.advance(ofSeconds(1000));
            assertThat(h.sent(MessageType.RENEW)).hasSize(1);
            assertThat(h.client.leases()).extracting(Lease::cidr).containsExactly(P1, P3);

            // P3 keeps its old T2, so the client rebinds then (§18.2.4: the earliest T2), and
            // only then: no exchange in between, and none right after the Rebind either.
            Duration t2 = boundAt(h).plus(ofSeconds(1600));
            int sent = h.sent.size();
            h.advance(t2.minus(h.time.elapsed()).minus(ofMillis(1)));
            assertThat(h.sent).hasSize(sent);
            h.advance(ofSeconds(999));
            assertThat(h.sent.subList(sent, h.sent.size())).extracting(Sent::type).containsExactly(MessageType.REBIND);
            assertThat(h.last().at()).isEqualTo(t2);
            h.advance(ofSeconds(2));
            assertThat(h.last().type()).isEqualTo(MessageType.RENEW);
            assertThat(h.last().at()).isEqualTo(t2.plus(ofMillis(5)).plus(ofSeconds(1000)));
        }
    }

    @Nested
    class Release {
        @Test
        void releaseReportsFirstThenTellsTheServer() {
            ClientHarness h = harness();
            bind(h);
            h.client.release();

            assertThat(h.eventTypes()).containsExactly(Type.BOUND, Type.RELEASED);
            assertThat(h.lastEvent().lease().state()).isEqualTo(Lease.State.RELEASED);
            assertThat(h.client.leases()).isEmpty();
            Sent release = h.last();
            assertThat(release.type()).isEqualTo(MessageType.RELEASE);
            assertThat(release.message().option(ServerIdOption.class)).contains(new ServerIdOption(SERVER_A));
            assertThat(iaPd(release, 1)).isEqualTo(IaPdOption.of(1, 0, 0, FakeServer.prefix(P1, 0, 0)));
            assertThat(h.client.state()).isEqualTo(ClientState.RELEASING);

            h.advance(ofMillis(10));
            assertThat(h.client.state()).isEqualTo(ClientState.STOPPED);
            assertThat(h.time.pending()).isEmpty();
        }

        @Test
        void unansweredReleaseGivesUpAfterFourTransmissions() {
            ClientHarness h = harness();
            bind(h);
            a(h).goAway();
            h.client.release();
            h.advance(ofSeconds(60));
            assertThat(h.sent(MessageType.RELEASE)).hasSize(4);
            assertThat(h.client.state()).isEqualTo(ClientState.STOPPED);
            assertThat(h.time.pending()).isEmpty();
        }

        @Test
        void releaseWhileSolicitingJustStops() {
            ClientHarness h = harness();
            a(h).goAway();
            h.client.start();
            h.client.release();
            assertThat(h.client.state()).isEqualTo(ClientState.STOPPED);
            assertThat(h.sent(MessageType.RELEASE)).isEmpty();
            assertThat(h.time.pending()).isEmpty();
        }

        @Test
        void stopKeepsLeasesAndCancelsEveryTimer() {
            ClientHarness h = harness();
            bind(h);
            h.client.stop();
            assertThat(h.client.state()).isEqualTo(ClientState.STOPPED);
            assertThat(h.client.leases()).hasSize(1);
            assertThat(h.time.pending()).isEmpty();
            assertThat(h.eventTypes()).containsExactly(Type.BOUND);
        }
    }

    @Nested
    class Timers {
        @Test
        void eachStateKeepsOnlyItsOwnTimers() {
            ClientHarness h = harness();
            a(h).latency = ofSeconds(5);
            h.client.start();
            assertThat(h.timers()).containsExactly("eth9/transmit");
            h.advance(ofSeconds(10));
            assertThat(h.client.state()).isEqualTo(ClientState.BOUND);
            assertThat(h.timers()).containsExactly("eth9/t1", "eth9/expiry");
            h.advance(ofSeconds(1000));
            assertThat(h.client.state()).isEqualTo(ClientState.RENEWING);
            assertThat(h.timers()).containsExactly("eth9/transmit", "eth9/expiry");
        }
    }
}
