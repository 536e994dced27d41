package io.kubepd.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Dhcp6AnnotatorTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void namesEveryFieldAndKeepsEveryByte() {
    byte[] reply = HEX.parseHex("07abcdef"
        + "0001000a" + "00030001020000000001"
        + "00190030" + "703acfb1" + "00000000" + "00000000"
        + "000d0003" + "0006" + "21"
        + "001a0019" + "0000000c" + "00000010" + "38" + "20010db8010000000000000000000000"
        + "12340001" + "ff");

    String text = Dhcp6Annotator.annotate(reply);

    assertThat(HEX.parseHex(text.replaceAll("#.*", "").replaceAll("\\s+", ""))).isEqualTo(reply);
    assertThat(text).contains(
        "# msg-type REPLY\n",
        "# transaction-id 0xabcdef\n",
        "# CLIENTID, option-len 10\n",
        "  00 03 ",
        "#   DUID-LL\n",
        "#   link-layer address 02:00:00:00:00:01\n",
        "#   IAID 1882902449\n",
        "#     status-code 6 NoPrefixAvail\n",
        "#     \"!\"\n",
        "#     valid-lifetime 16 s\n",
        "#     IPv6-prefix 2001:db8:100::\n",
        "# unknown 4660, option-len 1\n",
        "#   option data\n");
  }

  @Test
  void namesPdExcludeInTheOroAndInAnIaPrefix() {
    byte[] reply = HEX.parseHex("07000001"
        + "00060004" + "0052" + "0043"
        + "0019002f" + "00000001" + "0000000a" + "00000014"
        + "001a001f" + "0000001e" + "00000028" + "38" + "20010db8010000000000000000000000"
        + "00430002" + "3e" + "0c");

    String text = Dhcp6Annotator.annotate(reply);

    assertThat(HEX.parseHex(text.replaceAll("#.*", "").replaceAll("\\s+", ""))).isEqualTo(reply);
    assertThat(text).contains(
        "#   requested PD_EXCLUDE\n",
        "#     PD_EXCLUDE, option-len 2\n",
        "#       prefix-len 62\n",
        "#       IPv6 subnet ID (RFC 6603)\n");
  }

  @Test
  void anOptionRunningPastTheMessageStaysRaw() {
    String text = Dhcp6Annotator.annotate(HEX.parseHex("01000001" + "00080004" + "0000"));

    assertThat(text).endsWith("00 08 00 04 00 00" + " ".repeat(39) + "# malformed: option runs past its container\n");
  }
}
