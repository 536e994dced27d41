package io.kubepd.agent.codec;

import static io.kubepd.agent.codec.CapturedExchange.CLIENT;
import static io.kubepd.agent.codec.CapturedExchange.DHCPD;
import static io.kubepd.agent.codec.CapturedExchange.IAID;
import static io.kubepd.agent.codec.CapturedExchange.KEA;
import static io.kubepd.agent.codec.CapturedExchange.SECOND_CLIENT;
import static io.kubepd.agent.codec.CapturedExchange.datagrams;
import static io.kubepd.agent.codec.CapturedExchange.messages;
import static io.kubepd.agent.codec.Dhcp6CodecTest.ip;
import static io.kubepd.agent.codec.MessageType.ADVERTISE;
import static io.kubepd.agent.codec.MessageType.REBIND;
import static io.kubepd.agent.codec.MessageType.RELEASE;
import static io.kubepd.agent.codec.MessageType.RENEW;
import static io.kubepd.agent.codec.MessageType.REPLY;
import static io.kubepd.agent.codec.MessageType.REQUEST;
import static io.kubepd.agent.codec.MessageType.SOLICIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubepd.agent.codec.option.ClientIdOption;
import io.kubepd.agent.codec.option.DnsServersOption;
import io.kubepd.agent.codec.option.DomainListOption;
import io.kubepd.agent.codec.option.ElapsedTimeOption;
import io.kubepd.agent.codec.option.IaPdOption;
import io.kubepd.agent.codec.option.IaPrefixOption;
import io.kubepd.agent.codec.option.OroOption;
import io.kubepd.agent.codec.option.RapidCommitOption;
import io.kubepd.agent.codec.option.ReconfAcceptOption;
import io.kubepd.agent.codec.option.ServerIdOption;
import io.kubepd.agent.codec.option.StatusCodeOption;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden bytes from real servers: what kubepd's agent and ISC Kea 2.2.0 or ISC dhcpd 4.4.3 sent each other in the
 * lab (src/test/resources/captures, each file's header says how). Every message decodes to the values asserted here,
 * options in their wire order, and encodes back to the captured bytes.
 */
class CapturedExchangeTest {
    private static final ClientIdOption CLIENT_ID = new ClientIdOption(CLIENT);
    /** Every captured client message is a first transmission. */
    private static final ElapsedTimeOption NO_ELAPSED_TIME = new ElapsedTimeOption(0);
    private static final RapidCommitOption RAPID_COMMIT = new RapidCommitOption();
    /** The IA_PD of a Solicit: no prefix hint, as the agent ran without --prefix-length. */
    private static final IaPdOption SOLICITED = IaPdOption.of(IAID, 0, 0);
    private static final IaPrefixOption ZERO_LIFETIME_PREFIX = IaPrefixOption.of(0, 0, 56, ip("2001:db8:100::"));
    /** The IA_PD of every Reply that grants the pool's one /56: the lifetimes of the config, T1 and T2 as set. */
    private static final IaPdOption GRANTED =
            IaPdOption.of(IAID, 4, 8, IaPrefixOption.of(12, 16, 56, ip("2001:db8:100::")));
    /** The IA_PD of a Request, Renew, Rebind or Release: the prefix held or offered, times left to the server. */
    private static final IaPdOption HELD = IaPdOption.of(IAID, 0, 0, ZERO_LIFETIME_PREFIX);
    // The agent's ORO asks for SOL_MAX_RT, PD_EXCLUDE and the DNS options; it and RECONF_ACCEPT go in every message
    // but Release.
    private static final OroOption ORO = OroOption.of(OptionCode.SOL_MAX_RT, OptionCode.PD_EXCLUDE,
            OptionCode.DNS_SERVERS, OptionCode.DOMAIN_LIST);
    private static final ReconfAcceptOption RECONF_ACCEPT = new ReconfAcceptOption();
    /** What both servers were configured to hand out (RFC 3646). */
    private static final DnsServersOption DNS_SERVERS = new DnsServersOption(List.of(ip("2001:db8:ffff::53")));
    private static final DomainListOption DOMAINS = new DomainListOption(List.of("example.net"));

    @ParameterizedTest
    @ValueSource(strings = {
        "kea-2.2.0/solicit-advertise-request-reply.hex",
        "kea-2.2.0/renew-reply.hex",
        "kea-2.2.0/rebind-reply.hex",
        "kea-2.2.0/release-reply.hex",
        "kea-2.2.0/rapid-commit.hex",
        "kea-2.2.0/renew-no-prefix-avail.hex",
        "kea-2.2.0/solicit-no-prefix-avail.hex",
        "dhcpd-4.4.3-p1/solicit-advertise-request-reply.hex",
    })
    void everyMessageEncodesBackToItsCapturedBytesAndAnswersItsPartner(String file) {
        List<byte[]> wire = datagrams(file);
        assertThat(wire).isNotEmpty();
        assertThat(wire.size() % 2).as("client message, server answer, ...").isZero();
        for (byte[] datagram : wire) {
            assertThat(Dhcp6Codec.encode(Dhcp6Codec.decode(datagram))).isEqualTo(datagram);
        }
        List<Dhcp6Message> messages = messages(file);
        for (int i = 0; i < messages.size(); i += 2) {
            Dhcp6Message question = messages.get(i);
            Dhcp6Message answer = messages.get(i + 1);
            assertThat(answer.type()).isIn(ADVERTISE, REPLY);
            assertThat(answer.transactionId()).isEqualTo(question.transactionId());
            assertThat(answer.option(ClientIdOption.class)).isEqualTo(question.option(ClientIdOption.class));
        }
    }

    @Nested
    class Kea {
        private static final ServerIdOption SERVER_ID = new ServerIdOption(KEA);

        @Test
        void solicitAdvertiseRequestReply() {
            List<Dhcp6Message> m = messages("kea-2.2.0/solicit-advertise-request-reply.hex");
            int solicit = m.get(0).transactionId();
            int request = m.get(2).transactionId();

            assertThat(m.get(0)).isEqualTo(Dhcp6Message.of(SOLICIT, solicit, CLIENT_ID, NO_ELAPSED_TIME, ORO,
                    RECONF_ACCEPT, SOLICITED));
            // Kea's order: CLIENTID, SERVERID, the requested DNS options, IA_PD; no PREFERENCE and no SOL_MAX_RT
            // although the ORO asks for it.
            assertThat(m.get(1)).isEqualTo(Dhcp6Message.of(ADVERTISE, solicit, CLIENT_ID, SERVER_ID, DNS_SERVERS,
                    DOMAINS, GRANTED));
            assertThat(m.get(2)).isEqualTo(Dhcp6Message.of(REQUEST, request, CLIENT_ID, SERVER_ID,
                    NO_ELAPSED_TIME, ORO, RECONF_ACCEPT, HELD));
            assertBindingReply(m.get(3), request);
            assertThat(KEA.type()).isEqualTo(DuidType.LLT);
        }

        @Test
        void renew() {
            List<Dhcp6Message> m = messages("kea-2.2.0/renew-reply.hex");
            int renew = m.get(0).transactionId();

            assertThat(m.get(0)).isEqualTo(Dhcp6Message.of(RENEW, renew, CLIENT_ID, SERVER_ID,
                    NO_ELAPSED_TIME, ORO, RECONF_ACCEPT, HELD));
            assertBindingReply(m.get(1), renew);
        }

        @Test
        void rebindCarriesNoServerId() {
            List<Dhcp6Message> m = messages("kea-2.2.0/rebind-reply.hex");
            int rebind = m.get(0).transactionId();

            assertThat(m.get(0)).isEqualTo(Dhcp6Message.of(REBIND, rebind, CLIENT_ID, NO_ELAPSED_TIME, ORO,
                    RECONF_ACCEPT, HELD));
            assertBindingReply(m.get(1), rebind);
        }

        @Test
        void releaseIsAnsweredWithTwoSuccessStatuses() {
            List<Dhcp6Message> m = messages("kea-2.2.0/release-reply.hex");
            int release = m.get(0).transactionId();

            assertThat(m.get(0)).isEqualTo(Dhcp6Message.of(RELEASE, release, CLIENT_ID, SERVER_ID,
                    NO_ELAPSED_TIME, HELD));
            // Kea's summary speaks of IA_NAs even when only an IA_PD was released.
            assertThat(m.get(1)).isEqualTo(Dhcp6Message.of(REPLY, release, CLIENT_ID, SERVER_ID,
                    new StatusCodeOption(StatusCode.SUCCESS, "Summary status for all processed IA_NAs"),
                    IaPdOption.of(IAID, 0, 0, new StatusCodeOption(StatusCode.SUCCESS,
                            "Lease released. Thank you, please come again."))));
        }

        @Test
        void rapidCommit() {
            List<Dhcp6Message> m = messages("kea-2.2.0/rapid-commit.hex");
            int solicit = m.get(0).transactionId();

            assertThat(m.get(0)).isEqualTo(Dhcp6Message.of(SOLICIT, solicit, CLIENT_ID, NO_ELAPSED_TIME, ORO,
                    RECONF_ACCEPT, RAPID_COMMIT, SOLICITED));
            assertThat(m.get(1)).isEqualTo(Dhcp6Message.of(REPLY, solicit, CLIENT_ID, SERVER_ID, RAPID_COMMIT,
                    DNS_SERVERS, DOMAINS, GRANTED));
        }

        @Test
        void renewOfAPrefixGivenToAnotherClientGetsNoPrefixAvailAndZeroLifetimes() {
            List<Dhcp6Message> m = messages("kea-2.2.0/renew-no-prefix-avail.hex");
            int renew = m.get(0).transactionId();

            assertThat(m.get(0)).isEqualTo(Dhcp6Message.of(RENEW, renew, CLIENT_ID, SERVER_ID,
                    NO_ELAPSED_TIME, ORO, RECONF_ACCEPT, HELD));
            // Not NoBinding: the IA's status comes first, then the prefix the client asked about, at lifetime 0.
            assertThat(m.get(1)).isEqualTo(Dhcp6Message.of(REPLY, renew, CLIENT_ID, SERVER_ID, DNS_SERVERS,
                    DOMAINS, IaPdOption.of(IAID, 0, 0,
                            new StatusCodeOption(StatusCode.NO_PREFIX_AVAIL,
                                    "Sorry, no prefixes could be assigned at this time."),
                            ZERO_LIFETIME_PREFIX)));
        }

        @Test
        void solicitWhileThePoolIsExhaustedGetsARapidCommitReplyWithNoPrefixAvail() {
            List<Dhcp6Message> m = messages("kea-2.2.0/solicit-no-prefix-avail.hex");
            int solicit = m.get(0).transactionId();

            assertThat(m.get(0)).isEqualTo(Dhcp6Message.of(SOLICIT, solicit, new ClientIdOption(SECOND_CLIENT),
                    NO_ELAPSED_TIME, ORO, RECONF_ACCEPT, RAPID_COMMIT, SOLICITED));
            assertThat(m.get(1)).isEqualTo(Dhcp6Message.of(REPLY, solicit, new ClientIdOption(SECOND_CLIENT),
                    SERVER_ID, RAPID_COMMIT, DNS_SERVERS, DOMAINS, IaPdOption.of(IAID, 0, 0,
                            new StatusCodeOption(StatusCode.NO_PREFIX_AVAIL,
                                    "Sorry, no prefixes could be allocated."))));
        }

        @Test
        void aChangedLifetimeStillRoundTripsButFailsTheValueAssertions() {
            List<byte[]> wire = datagrams("kea-2.2.0/solicit-advertise-request-reply.hex");
            byte[] reply = wire.get(3);
            byte[] changed = reply.clone();
            // The Reply ends with the IAPREFIX: valid-lifetime (4 bytes), prefix-length, prefix (16 bytes).
            changed[changed.length - 18]++;

            Dhcp6Message decoded = Dhcp6Codec.decode(changed);
            assertThat(Dhcp6Codec.encode(decoded)).isEqualTo(changed);
            int request = Dhcp6Codec.decode(wire.get(2)).transactionId();
            assertThatThrownBy(() -> assertBindingReply(decoded, request))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("validLifetime=17");
        }

        /** Kea's Reply that binds (to Request, Renew, Rebind): CLIENTID, SERVERID, DNS, IA_PD with the one prefix. */
        private static void assertBindingReply(Dhcp6Message reply, int transactionId) {
            assertThat(reply).isEqualTo(Dhcp6Message.of(REPLY, transactionId, CLIENT_ID, SERVER_ID, DNS_SERVERS,
                    DOMAINS, GRANTED));
        }
    }

    @Nested
    class IscDhcpd {
        @Test
        void solicitAdvertiseRequestReplyInDhcpdsOptionOrder() {
            List<Dhcp6Message> m = messages("dhcpd-4.4.3-p1/solicit-advertise-request-reply.hex");
            int solicit = m.get(0).transactionId();
            int request = m.get(2).transactionId();
            ServerIdOption serverId = new ServerIdOption(DHCPD);

            assertThat(m.get(0)).isEqualTo(Dhcp6Message.of(SOLICIT, solicit, CLIENT_ID, NO_ELAPSED_TIME, ORO,
                    RECONF_ACCEPT, SOLICITED));
            // dhcpd puts the IA_PD first, echoes Reconfigure Accept, and puts the DNS options last.
            assertThat(m.get(1)).isEqualTo(Dhcp6Message.of(ADVERTISE, solicit, GRANTED, CLIENT_ID, serverId,
                    RECONF_ACCEPT, DNS_SERVERS, DOMAINS));
            assertThat(m.get(2)).isEqualTo(Dhcp6Message.of(REQUEST, request, CLIENT_ID, serverId,
                    NO_ELAPSED_TIME, ORO, RECONF_ACCEPT, HELD));
            assertThat(m.get(3)).isEqualTo(Dhcp6Message.of(REPLY, request, GRANTED, CLIENT_ID, serverId,
                    RECONF_ACCEPT, DNS_SERVERS, DOMAINS));
        }
    }
}
