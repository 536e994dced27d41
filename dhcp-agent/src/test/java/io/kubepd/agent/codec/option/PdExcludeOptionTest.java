package io.kubepd.agent.codec.option;

import static io.kubepd.agent.codec.AnnotatedHex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubepd.agent.codec.Dhcp6Codec;
import io.kubepd.agent.codec.Dhcp6Message;
import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/**
 * The subnet-ID arithmetic of RFC 6603 §4.2: the bits of the excluded prefix from the delegated prefix length on,
 * shifted left by (delegated length mod 8) to start on an octet, zero-padded to whole octets.
 */
class PdExcludeOptionTest {

    @Test
    void slash56ExcludingASlash64TakesOneOctet() {
        assertBothWays("2001:db8:1:100::", 56, "2001:db8:1:1ff::", 64, "ff");
        assertBothWays("2001:db8:1:100::", 56, "2001:db8:1:100::", 64, "00");
    }

    @Test
    void slash48ExcludingASlash64TakesTwoOctets() {
        assertBothWays("2001:db8:1::", 48, "2001:db8:1:abcd::", 64, "ab cd");
    }

    @Test
    void slash56ExcludingASlash62LeftAlignsSixBits() {
        // Bits 56..61 are 000011; left-aligned in one octet with two zero padding bits: 0000 1100.
        assertBothWays("2001:db8:100:100::", 56, "2001:db8:100:10c::", 62, "0c");
        // Bits 56..61 are 111111: 1111 1100.
        assertBothWays("2001:db8:100:100::", 56, "2001:db8:100:1fc::", 62, "fc");
    }

    @Test
    void bitsThatCrossAnOctetBoundaryAreShiftedTogether() {
        // /61 -> /67: bits 61..63 (101, the end of octet 7) and 64..66 (101, the start of octet 8) make 101101,
        // left-aligned: 1011 0100.
        assertBothWays("2001:db8:0:8::", 61, "2001:db8:0:d:a000::", 67, "b4");
    }

    @Test
    void anExcludedHostRouteTakesUpToSixteenOctets() {
        assertBothWays("2001:db8:1:2::", 64, "2001:db8:1:2::1", 128, "00 00 00 00 00 00 00 01");
        assertBothWays("2001:db8:1::", 48, "2001:db8:1:ffff::abcd", 128, "ff ff 00 00 00 00 00 00 ab cd");
        assertBothWays("2001:db8::", 127, "2001:db8::1", 128, "80");
        assertBothWays("::", 0, "2001:db8::1", 128, "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01");
    }

    @Test
    void aReplyCapturedFromKea() {
        // Kea 2.2.0, pd-pool 2001:db8:100::/48 delegating /56 with excluded-prefix 2001:db8:100:c::/62, answering a
        // Rapid Commit Solicit whose ORO asked for PD_EXCLUDE (KeaPdExcludeIT).
        Dhcp6Message reply = Dhcp6Codec.decode(bytes("""
                07 5e 1e c1                    # REPLY, transaction-id 0x5e1ec1
                00 01 00 0a                    # CLIENTID, option-len 10
                00 03 00 01 02 6c 61 62 00 01  #   DUID-LL, Ethernet, 02:6c:61:62:00:01
                00 02 00 0e                    # SERVERID, option-len 14
                00 01 00 01 32 9c d2 c4        #   DUID-LLT, Ethernet, time
                b6 01 23 bc 13 01              #   link-layer address
                00 0e 00 00                    # RAPID_COMMIT
                00 19 00 2f                    # IA_PD, option-len 47
                00 00 00 01                    #   IAID 1
                00 00 00 0a  00 00 00 14       #   T1 10 s, T2 20 s
                00 1a 00 1f                    #   IAPREFIX, option-len 31
                00 00 00 1e  00 00 00 28       #     preferred 30 s, valid 40 s
                38                             #     prefix-length 56
                20 01 0d b8 01 00 00 00 00 00 00 00 00 00 00 00  # 2001:db8:100::
                00 43 00 02                    #     PD_EXCLUDE, option-len 2
                3e                             #       prefix-len 62
                0c                             #       subnet ID: bits 56..61 = 000011, then 2 padding bits
                """));
        IaPrefixOption prefix = reply.option(IaPdOption.class).orElseThrow().prefixes().get(0);
        assertThat(prefix.pdExcludes()).containsExactly(new PdExcludeOption(62, bytes("0c")));
        assertThat(NetUtil.toAddressString(prefix.pdExcludes().get(0).excludedPrefix(prefix.prefix(), 56)))
                .isEqualTo("2001:db8:100:c::");
    }

    @Test
    void paddingBitsAreIgnored() {
        // The two bits after /62 are padding; a server that sets them still means 2001:db8:100:10c::/62.
        assertThat(excluded(new PdExcludeOption(62, bytes("0f")), "2001:db8:100:100::", 56))
                .isEqualTo("2001:db8:100:10c::");
    }

    @Test
    void anExcludedPrefixNotLongerThanTheDelegatedOneDoesNotFit() {
        assertThatThrownBy(() -> excluded(new PdExcludeOption(56, bytes("00")), "2001:db8:1:100::", 56))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("excluded prefix length 56 is not longer than the delegated prefix length 56");
        assertThatThrownBy(() -> excluded(new PdExcludeOption(48, bytes("00")), "2001:db8:1:100::", 56))
                .hasMessageContaining("not longer");
    }

    @Test
    void aSubnetIdOfTheWrongSizeDoesNotFit() {
        assertThatThrownBy(() -> excluded(new PdExcludeOption(64, bytes("00 ff")), "2001:db8:1:100::", 56))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("subnet ID of 2 bytes; 8 bits from /56 to /64 take 1");
        assertThatThrownBy(() -> excluded(new PdExcludeOption(64, bytes("ff")), "2001:db8:1::", 48))
                .hasMessage("subnet ID of 1 bytes; 16 bits from /48 to /64 take 2");
    }

    @Test
    void excludingRefusesWhatTheOptionCannotSay() {
        assertThatThrownBy(() -> PdExcludeOption.excluding(ip("2001:db8:1:100::"), 56, ip("2001:db8:1:200::"), 64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the excluded prefix lies outside the delegated prefix");
        assertThatThrownBy(() -> PdExcludeOption.excluding(ip("2001:db8:1:100::"), 56, ip("2001:db8:1:100::"), 56))
                .hasMessage("excluded prefix length 56 must lie between 57 and 128");
    }

    /** Checks {@code excluding} gives {@code subnetId} and reading it back gives the excluded prefix. */
    private static void assertBothWays(
            String delegated, int delegatedLength, String excluded, int excludedLength, String subnetId) {
        PdExcludeOption option = PdExcludeOption.excluding(ip(delegated), delegatedLength, ip(excluded), excludedLength);
        assertThat(option).isEqualTo(new PdExcludeOption(excludedLength, bytes(subnetId)));
        assertThat(excluded(option, delegated, delegatedLength)).isEqualTo(NetUtil.toAddressString(ip(excluded)));
    }

    private static String excluded(PdExcludeOption option, String delegated, int delegatedLength) {
        return NetUtil.toAddressString(option.excludedPrefix(ip(delegated), delegatedLength));
    }

    private static Inet6Address ip(String text) {
        try {
            return (Inet6Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
