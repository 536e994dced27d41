package io.kubepd.agent.codec;

import static io.kubepd.agent.codec.AnnotatedHex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubepd.agent.codec.option.AuthOption;
import io.kubepd.agent.codec.option.ClientIdOption;
import io.kubepd.agent.codec.option.Dhcp6Option;
import io.kubepd.agent.codec.option.DnsServersOption;
import io.kubepd.agent.codec.option.DomainListOption;
import io.kubepd.agent.codec.option.ElapsedTimeOption;
import io.kubepd.agent.codec.option.IaPdOption;
import io.kubepd.agent.codec.option.IaPrefixOption;
import io.kubepd.agent.codec.option.InfMaxRtOption;
import io.kubepd.agent.codec.option.OroOption;
import io.kubepd.agent.codec.option.PdExcludeOption;
import io.kubepd.agent.codec.option.PreferenceOption;
import io.kubepd.agent.codec.option.RapidCommitOption;
import io.kubepd.agent.codec.option.ReconfAcceptOption;
import io.kubepd.agent.codec.option.ReconfMsgOption;
import io.kubepd.agent.codec.option.ServerIdOption;
import io.kubepd.agent.codec.option.ServerUnicastOption;
import io.kubepd.agent.codec.option.SolMaxRtOption;
import io.kubepd.agent.codec.option.StatusCodeOption;
import io.kubepd.agent.codec.option.UnknownOption;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class Dhcp6CodecTest {
    /** Every option test wraps its option in this 4-byte header, so the option starts at offset 4. */
    private static final String HEADER = "07 12 34 56  # REPLY, transaction-id 0x123456\n";
    private static final Duid CLIENT = Duid.ll(bytes("02 42 ac 11 00 02"));
    private static final Duid SERVER = Duid.llt(Instant.parse("2024-03-01T12:00:00Z"), bytes("52 54 00 12 34 56"));

    static Inet6Address ip(String text) {
        try {
            return (Inet6Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Decodes the option bytes inside a Reply and encodes the expected option back to the same bytes. */
    private static void assertGolden(String optionHex, Dhcp6Option expected) {
        byte[] wire = bytes(HEADER + optionHex);
        Dhcp6Message message = Dhcp6Message.of(MessageType.REPLY, 0x123456, expected);
        assertThat(Dhcp6Codec.decode(wire)).isEqualTo(message);
        assertThat(Dhcp6Codec.encode(message)).isEqualTo(wire);
    }

    private static void assertMalformed(String optionHex, String problem, int offset) {
        assertThatThrownBy(() -> Dhcp6Codec.decode(bytes(HEADER + optionHex)))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(((MalformedMessageException) e).offset()).isEqualTo(offset));
    }

    @Nested
    class Header {
        @Test
        void messageWithoutOptions() {
            assertThat(Dhcp6Codec.decode(bytes("01 ab cd ef  # SOLICIT, transaction-id 0xabcdef")))
                    .isEqualTo(Dhcp6Message.of(MessageType.SOLICIT, 0xabcdef));
        }

        @Test
        void truncatedHeader() {
            assertThatThrownBy(() -> Dhcp6Codec.decode(bytes("07 12 34")))
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessage("message: truncated, transaction-id needs 3 bytes but 2 remain (at offset 1)");
            assertThatThrownBy(() -> Dhcp6Codec.decode(new byte[0]))
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessageContaining("msg-type needs 1 bytes but 0 remain");
        }

        @Test
        void unknownMessageTypeIsKept() {
            Dhcp6Message message = Dhcp6Codec.decode(bytes("42 00 00 01"));
            assertThat(message.type().code()).isEqualTo(0x42);
            assertThat(Dhcp6Codec.encode(message)).isEqualTo(bytes("42 00 00 01"));
        }

        @Test
        void relayMessagesAreRejected() {
            assertThatThrownBy(() -> Dhcp6Codec.decode(bytes("0d 00 00 00")))
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessageContaining("RELAY-REPL is a relay message");
        }

        @Test
        void truncatedOptionHeader() {
            assertMalformed("00 01 00  # CLIENTID, length cut short", "option-len of CLIENTID needs 2 bytes but 1 remain", 6);
        }

        @Test
        void optionLengthOverflowingTheMessage() {
            assertMalformed("""
                    00 08 00 04  # ELAPSED_TIME claiming 4 bytes
                    00 00        # only 2 present
                    """, "ELAPSED_TIME option-len 4 overflows message, which has 2 bytes left", 4);
        }

        @Test
        void decodeLeavesTheBufferIndicesAlone() {
            ByteBuf buf = Unpooled.wrappedBuffer(bytes("ff ff 01 00 00 07  00 0e 00 00"));
            buf.readerIndex(2);
            assertThat(Dhcp6Codec.decode(buf)).isEqualTo(Dhcp6Message.of(MessageType.SOLICIT, 7, new RapidCommitOption()));
            assertThat(buf.readerIndex()).isEqualTo(2);
            assertThat(buf.refCnt()).isEqualTo(1);
        }
    }

    @Nested
    class Identifiers {
        @Test
        void clientId() {
            assertGolden("""
                    00 01 00 0a                     # CLIENTID, option-len 10
                    00 03 00 01 02 42 ac 11 00 02   # DUID-LL, Ethernet, 02:42:ac:11:00:02
                    """, new ClientIdOption(CLIENT));
        }

        @Test
        void serverId() {
            assertGolden("""
                    00 02 00 0e                     # SERVERID, option-len 14
                    00 01 00 01                     # DUID-LLT, Ethernet
                    2d 74 7f c0                     # 2024-03-01T12:00:00Z = 762609600 s since 2000
                    52 54 00 12 34 56               # link-layer address
                    """, new ServerIdOption(SERVER));
        }

        @Test
        void duidTooShort() {
            assertMalformed("00 01 00 02  00 03", "CLIENTID option: DUID length 2 outside 3..130", 4);
        }

        @Test
        void duidTooLong() {
            assertMalformed("00 02 00 83" + " 00".repeat(131), "SERVERID option: DUID length 131", 4);
        }

        @Test
        void truncatedDuid() {
            assertMalformed("00 01 00 0a  00 03 00 01 02 42 ac 11 00", "CLIENTID option-len 10 overflows message", 4);
        }
    }

    @Nested
    class SmallOptions {
        @Test
        void oro() {
            assertGolden("""
                    00 06 00 04   # ORO, option-len 4
                    00 17         # DNS_SERVERS
                    00 52         # SOL_MAX_RT
                    """, OroOption.of(OptionCode.DNS_SERVERS, OptionCode.SOL_MAX_RT));
        }

        @Test
        void oroOddLength() {
            assertMalformed("00 06 00 03  00 17 00", "ORO option: length 3 is not a multiple of 2", 8);
        }

        @Test
        void preference() {
            assertGolden("00 07 00 01  ff  # PREFERENCE 255", new PreferenceOption(255));
        }

        @Test
        void preferenceWrongLength() {
            assertMalformed("00 07 00 00", "PREFERENCE option: truncated, preference needs 1 bytes but 0 remain", 8);
            assertMalformed("00 07 00 02  ff 00", "PREFERENCE option: 1 unexpected trailing bytes", 9);
        }

        @Test
        void elapsedTime() {
            assertGolden("00 08 00 02  01 2c  # ELAPSED_TIME 300 cs = 3 s", new ElapsedTimeOption(300));
        }

        @Test
        void elapsedTimeWrongLength() {
            assertMalformed("00 08 00 01  01", "ELAPSED_TIME option: truncated", 8);
            assertMalformed("00 08 00 03  01 2c 00", "1 unexpected trailing bytes", 10);
        }

        @Test
        void rapidCommitAndReconfigureAcceptAreEmpty() {
            assertGolden("00 0e 00 00  # RAPID_COMMIT", new RapidCommitOption());
            assertGolden("00 14 00 00  # RECONF_ACCEPT", new ReconfAcceptOption());
            assertMalformed("00 0e 00 01  00", "RAPID_COMMIT option: 1 unexpected trailing bytes", 8);
            assertMalformed("00 14 00 01  00", "RECONF_ACCEPT option: 1 unexpected trailing bytes", 8);
        }

        @Test
        void reconfigureMessage() {
            assertGolden("00 13 00 01  06  # RECONF_MSG: REBIND", new ReconfMsgOption(MessageType.REBIND));
            assertMalformed("00 13 00 00", "RECONF_MSG option: truncated", 8);
        }

        @Test
        void serverUnicast() {
            assertGolden("""
                    00 0c 00 10                                       # UNICAST, option-len 16
                    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # 2001:db8::1
                    """, new ServerUnicastOption(ip("2001:db8::1")));
            assertMalformed("00 0c 00 0f" + " 00".repeat(15), "UNICAST option: truncated, server-address needs 16", 8);
        }

        @Test
        void solAndInfMaxRt() {
            assertGolden("00 52 00 04  00 00 0e 10  # SOL_MAX_RT 3600 s", new SolMaxRtOption(3600));
            assertGolden("00 53 00 04  00 01 51 80  # INF_MAX_RT 86400 s", new InfMaxRtOption(86400));
            assertMalformed("00 52 00 03  00 0e 10", "SOL_MAX_RT option: truncated", 8);
            assertMalformed("00 53 00 05  00 01 51 80 00", "INF_MAX_RT option: 1 unexpected trailing bytes", 12);
        }
    }

    @Nested
    class Status {
        @Test
        void statusCodeWithMessage() {
            assertGolden("""
                    00 0d 00 0f                                 # STATUS_CODE, option-len 15
                    00 06                                       # NoPrefixAvail
                    4e 6f 50 72 65 66 69 78 41 76 61 69 6c      # "NoPrefixAvail"
                    """, new StatusCodeOption(StatusCode.NO_PREFIX_AVAIL, "NoPrefixAvail"));
        }

        @Test
        void statusMessageIsUtf8() {
            assertGolden("00 0d 00 04  00 00  c3 bc  # Success, \"ü\"", new StatusCodeOption(StatusCode.SUCCESS, "ü"));
        }

        @Test
        void unknownStatusIsKept() {
            assertGolden("00 0d 00 02  01 00  # status 256, no message",
                    new StatusCodeOption(StatusCode.valueOf(256), ""));
        }

        @Test
        void invalidUtf8IsMalformed() {
            assertMalformed("00 0d 00 03  00 00 ff", "STATUS_CODE option: status message is not valid UTF-8", 4);
        }

        @Test
        void truncatedStatus() {
            assertMalformed("00 0d 00 01  00", "STATUS_CODE option: truncated, status-code needs 2 bytes", 8);
        }
    }

    @Nested
    class Authentication {
        @Test
        void reconfigureKey() {
            byte[] key = bytes("00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f");
            AuthOption expected = AuthOption.rkap(42, AuthOption.RKAP_TYPE_KEY, key);
            assertGolden("""
                    00 0b 00 1c                                       # AUTH, option-len 28
                    03                                                # protocol 3: reconfigure key
                    01                                                # algorithm 1: HMAC-MD5
                    00                                                # RDM 0: monotonic counter
                    00 00 00 00 00 00 00 2a                           # replay detection 42
                    01                                                # RKAP type 1: reconfigure key
                    00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f   # key
                    """, expected);
            assertThat(expected.isRkap()).isTrue();
            assertThat(expected.rkapType()).isEqualTo(AuthOption.RKAP_TYPE_KEY);
            assertThat(expected.rkapValue()).isEqualTo(key);
            assertThat(expected.toString()).doesNotContain("0a0b");
        }

        @Test
        void otherProtocolsAreCarriedOpaquely() {
            AuthOption delayed = new AuthOption(2, 1, 0, -1L, bytes("aa bb"));
            assertGolden("00 0b 00 0d  02 01 00  ff ff ff ff ff ff ff ff  aa bb", delayed);
            assertThat(delayed.isRkap()).isFalse();
            assertThatThrownBy(delayed::rkapValue).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void truncatedAuth() {
            assertMalformed("00 0b 00 0a  03 01 00  00 00 00 00 00 00 00",
                    "AUTH option: truncated, replay detection needs 8 bytes but 7 remain", 11);
        }
    }

    @Nested
    class PrefixDelegation {
        @Test
        void iaPdWithPrefixExcludeAndStatus() {
            IaPdOption expected = IaPdOption.of(7, 1800, 2880,
                    IaPrefixOption.of(3600, 7200, 56, ip("2001:db8:1:100::"),
                            new PdExcludeOption(64, bytes("ff"))),
                    new StatusCodeOption(StatusCode.SUCCESS, "ok"));
            assertGolden("""
                    00 19 00 37          # IA_PD, option-len 55
                    00 00 00 07          #   IAID 7
                    00 00 07 08          #   T1 1800 s
                    00 00 0b 40          #   T2 2880 s
                    00 1a 00 1f          #   IAPREFIX, option-len 31
                    00 00 0e 10          #     preferred-lifetime 3600 s
                    00 00 1c 20          #     valid-lifetime 7200 s
                    38                   #     prefix-length 56
                    20 01 0d b8 00 01 01 00 00 00 00 00 00 00 00 00  # 2001:db8:1:100::
                    00 43 00 02          #     PD_EXCLUDE, option-len 2
                    40                   #       excluded prefix-len 64
                    ff                   #       subnet ID: bits 56..63 = 0xff -> 2001:db8:1:1ff::/64
                    00 0d 00 04          #   STATUS_CODE, option-len 4
                    00 00 6f 6b          #     Success, "ok"
                    """, expected);
            assertThat(expected.prefixes()).singleElement().satisfies(p -> assertThat(p.cidr()).isEqualTo("2001:db8:1:100::/56"));
            assertThat(expected.status()).contains(new StatusCodeOption(StatusCode.SUCCESS, "ok"));
        }

        @Test
        void infiniteLifetimesAreAllOnes() {
            assertGolden("""
                    00 19 00 29                      # IA_PD, option-len 41
                    ff ff ff ff                      #   IAID 0xffffffff
                    ff ff ff ff  ff ff ff ff         #   T1, T2 infinite
                    00 1a 00 19                      #   IAPREFIX, option-len 25
                    ff ff ff ff  ff ff ff ff         #     lifetimes infinite
                    30                               #     /48
                    20 01 0d b8 00 02 00 00 00 00 00 00 00 00 00 00
                    """, IaPdOption.of(IaPdOption.INFINITY, IaPdOption.INFINITY, IaPdOption.INFINITY,
                    IaPrefixOption.of(IaPdOption.INFINITY, IaPdOption.INFINITY, 48, ip("2001:db8:2::"))));
        }

        @Test
        void truncatedIaPd() {
            assertMalformed("00 19 00 08  00 00 00 01  00 00 00 00", "IA_PD option: truncated, T2 needs 4 bytes but 0 remain", 16);
        }

        @Test
        void prefixLengthAbove128() {
            assertMalformed("""
                    00 19 00 29  00 00 00 01  00 00 00 00  00 00 00 00
                    00 1a 00 19  00 00 00 00  00 00 00 00
                    81                               # prefix-length 129
                    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 00
                    """, "IAPREFIX option: prefix length 129 outside 0..128", 20);
        }

        @Test
        void subOptionOverflowingItsParent() {
            assertMalformed("""
                    00 19 00 14  00 00 00 01  00 00 00 00  00 00 00 00  # IA_PD, option-len 20
                    00 1a 00 19  00 00 00 00                          # IAPREFIX claims 25, parent has 4 left
                    """, "IAPREFIX option-len 25 overflows IA_PD option, which has 4 bytes left", 20);
        }

        @Test
        void truncatedIaPrefix() {
            assertMalformed("""
                    00 19 00 1c  00 00 00 01  00 00 00 00  00 00 00 00
                    00 1a 00 0c  00 00 00 00  00 00 00 00  40 20 01 0d
                    """, "IAPREFIX option: truncated, IPv6-prefix needs 16 bytes but 3 remain", 33);
        }

        @Test
        void pdExcludeNeedsASubnetId() {
            assertMalformed("00 43 00 01  40", "PD_EXCLUDE option: subnet ID of 0 bytes, need 1..16", 4);
        }

        @Test
        void nestingIsBounded() {
            // IA_PD inside IA_PD inside ... ten levels deep: no real server sends that.
            StringBuilder hex = new StringBuilder();
            int depth = 10;
            for (int level = 0; level < depth; level++) {
                int length = 12 + (depth - level - 1) * 16;
                hex.append(String.format("00 19 %02x %02x  00 00 00 01  00 00 00 00  00 00 00 00%n", length >> 8, length & 0xff));
            }
            assertThatThrownBy(() -> Dhcp6Codec.decode(bytes(HEADER + hex)))
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessageContaining("options nested deeper than 8 levels");
        }
    }

    @Nested
    class Dns {
        @Test
        void dnsServers() {
            assertGolden("""
                    00 17 00 20                                       # DNS_SERVERS, option-len 32
                    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 35   # 2001:db8::35
                    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 53   # 2001:db8::53
                    """, new DnsServersOption(List.of(ip("2001:db8::35"), ip("2001:db8::53"))));
        }

        @Test
        void dnsServersPartialAddress() {
            assertMalformed("00 17 00 11" + " 00".repeat(17), "DNS_SERVERS option: length 17 is not a multiple of 16", 8);
        }

        @Test
        void domainList() {
            assertGolden("""
                    00 18 00 1c                                  # DOMAIN_LIST, option-len 28
                    07 65 78 61 6d 70 6c 65  03 63 6f 6d  00     # example.com.
                    03 6c 61 62  06 6b 75 62 65 70 64  02 69 6f  00  # lab.kubepd.io.
                    """, new DomainListOption(List.of("example.com", "lab.kubepd.io")));
        }

        @Test
        void domainListEscapesOddBytes() {
            DomainListOption decoded = (DomainListOption) Dhcp6Codec.decode(bytes(HEADER + """
                    00 18 00 09          # DOMAIN_LIST, option-len 9
                    03 61 2e 62          # label "a.b"
                    02 00 20             # label of bytes 0x00 0x20
                    00                   # root
                    00                   # a second name: the root itself
                    """)).options().get(0);
            assertThat(decoded.domains()).containsExactly("a\\.b.\\000\\032", ".");
            assertGolden("00 18 00 09  03 61 2e 62  02 00 20  00  00", decoded);
        }

        @Test
        void domainListNormalisesTheTrailingDot() {
            assertThat(new DomainListOption(List.of("Example.COM.")).domains()).containsExactly("Example.COM");
            assertThatThrownBy(() -> new DomainListOption(List.of("a..b"))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new DomainListOption(List.of("x".repeat(64)))).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void compressionPointerIsMalformed() {
            assertMalformed("00 18 00 02  c0 0c", "DOMAIN_LIST option: label length 192 at byte 0 exceeds 63", 4);
        }

        @Test
        void unterminatedNameIsMalformed() {
            assertMalformed("00 18 00 04  03 63 6f 6d", "lacks its terminating root label", 4);
        }

        @Test
        void labelRunningPastTheOptionIsMalformed() {
            assertMalformed("00 18 00 03  05 63 6f", "label at byte 0 runs past the end of the option", 4);
        }
    }

    @Nested
    class Unknown {
        @Test
        void unknownAndUnmodelledOptionsRoundTripByteForByte() {
            assertGolden("""
                    00 03 00 0c                       # IA_NA (no typed model here), option-len 12
                    00 00 00 01  00 00 00 00  00 00 00 00
                    """, new UnknownOption(OptionCode.IA_NA, bytes("00 00 00 01  00 00 00 00  00 00 00 00")));
            assertGolden("ab cd 00 03  01 02 03  # option 43981, 3 bytes",
                    new UnknownOption(OptionCode.valueOf(0xabcd), bytes("01 02 03")));
        }

        @Test
        void unknownSubOptionsInsideIaPdAreKept() {
            assertGolden("""
                    00 19 00 11  00 00 00 01  00 00 00 00  00 00 00 00   # IA_PD, option-len 17
                    12 34 00 01  99                                     # option 0x1234, 1 byte
                    """, IaPdOption.of(1, 0, 0, new UnknownOption(OptionCode.valueOf(0x1234), bytes("99"))));
        }
    }

    @Nested
    class WholeMessages {
        /**
         * A Reply to a Request for one IA_PD, hand-assembled in Kea's option order plus a DNS_SERVERS option; the
         * real Kea bytes are in {@link CapturedExchangeTest}.
         */
        static final String KEA_REPLY = """
                07                                  # msg-type REPLY
                4f 2a 1c                            # transaction-id
                00 01 00 0a                         # CLIENTID, option-len 10
                   00 03 00 01 02 42 ac 11 00 02    #   DUID-LL, Ethernet, 02:42:ac:11:00:02
                00 02 00 0e                         # SERVERID, option-len 14
                   00 01 00 01 2d 74 7f c0          #   DUID-LLT, Ethernet, 2024-03-01T12:00:00Z
                   52 54 00 12 34 56                #   52:54:00:12:34:56
                00 19 00 29                         # IA_PD, option-len 41
                   00 00 00 01                      #   IAID 1
                   00 00 03 e8                      #   T1 1000 s
                   00 00 07 d0                      #   T2 2000 s
                   00 1a 00 19                      #   IAPREFIX, option-len 25
                      00 00 0b b8                   #     preferred-lifetime 3000 s
                      00 00 0f a0                   #     valid-lifetime 4000 s
                      38                            #     prefix-length 56
                      20 01 0d b8 00 01 01 00 00 00 00 00 00 00 00 00   # 2001:db8:1:100::
                00 17 00 10                         # DNS_SERVERS, option-len 16
                   20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 35      # 2001:db8::35
                """;

        @Test
        void keaLikeReply() {
            Dhcp6Message reply = Dhcp6Codec.decode(bytes(KEA_REPLY));
            assertThat(reply).isEqualTo(Dhcp6Message.of(MessageType.REPLY, 0x4f2a1c,
                    new ClientIdOption(CLIENT),
                    new ServerIdOption(SERVER),
                    IaPdOption.of(1, 1000, 2000, IaPrefixOption.of(3000, 4000, 56, ip("2001:db8:1:100::"))),
                    new DnsServersOption(List.of(ip("2001:db8::35")))));
            assertThat(reply.option(ServerIdOption.class)).map(ServerIdOption::duid).contains(SERVER);
            assertThat(reply.options(IaPdOption.class)).hasSize(1);
            assertThat(reply.option(PreferenceOption.class)).isEmpty();
            assertThat(Dhcp6Codec.encode(reply)).isEqualTo(bytes(KEA_REPLY));
        }

        @Test
        void overLongMessageIsMalformed() {
            byte[] wire = bytes(KEA_REPLY + "00");
            assertThatThrownBy(() -> Dhcp6Codec.decode(wire))
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessage("message: truncated, option-code needs 2 bytes but 1 remain (at offset " + (wire.length - 1) + ")");
        }

        @Test
        void everyTruncationOfAValidMessageIsMalformed() {
            byte[] wire = bytes(KEA_REPLY);
            for (int length = 0; length < wire.length; length++) {
                byte[] prefix = java.util.Arrays.copyOf(wire, length);
                // Truncating exactly at an option boundary leaves a valid, shorter message.
                try {
                    Dhcp6Message shorter = Dhcp6Codec.decode(prefix);
                    assertThat(Dhcp6Codec.encode(shorter)).isEqualTo(prefix);
                } catch (MalformedMessageException expected) {
                    assertThat(expected.offset()).isBetween(0, length);
                }
            }
        }

        @Test
        void solicitForPrefixDelegation() {
            Dhcp6Message solicit = Dhcp6Message.of(MessageType.SOLICIT, 0x000102,
                    new ClientIdOption(CLIENT),
                    new ElapsedTimeOption(0),
                    OroOption.of(OptionCode.SOL_MAX_RT),
                    new RapidCommitOption(),
                    new ReconfAcceptOption(),
                    IaPdOption.of(1, 0, 0, IaPrefixOption.of(0, 0, 56, ip("::"))));
            assertThat(Dhcp6Codec.encode(solicit)).isEqualTo(bytes("""
                    01 00 01 02                                  # SOLICIT, transaction-id 0x000102
                    00 01 00 0a  00 03 00 01 02 42 ac 11 00 02   # CLIENTID
                    00 08 00 02  00 00                           # ELAPSED_TIME 0
                    00 06 00 02  00 52                           # ORO: SOL_MAX_RT
                    00 0e 00 00                                  # RAPID_COMMIT
                    00 14 00 00                                  # RECONF_ACCEPT
                    00 19 00 29  00 00 00 01  00 00 00 00  00 00 00 00   # IA_PD 1, T1=T2=0
                    00 1a 00 19  00 00 00 00  00 00 00 00  38            # IAPREFIX hint /56
                    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00      # ::
                    """));
        }

        @Test
        void oversizedOptionCannotBeEncoded() {
            List<Dhcp6Option> many = java.util.Collections.nCopies(3000, IaPrefixOption.of(0, 0, 64, ip("::")));
            Dhcp6Message message = Dhcp6Message.of(MessageType.REQUEST, 1, new IaPdOption(1, 0, 0, many));
            assertThatThrownBy(() -> Dhcp6Codec.encode(message))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("IA_PD option data is 87012 bytes");
        }

        @Test
        void transactionIdIs24Bit() {
            assertThatThrownBy(() -> Dhcp6Message.of(MessageType.SOLICIT, 0x1000000))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
