package io.kubepd.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubepd.e2e.bench.PcapReader.CapturedMessage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PcapReaderTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void readsSolicitAndReplyWithNanosecondTimestamps() {
    byte[] file = pcap(0xa1b23c4d,
        record(1_700_000_000, 123_456_789, frame(546, 547, "01abcdef" + "0001000a")),
        record(1_700_000_000, 124_000_001, frame(547, 546, "07abcdef")));

    assertThat(PcapReader.read(file)).containsExactly(
        new CapturedMessage(1_700_000_000_123_456_789L, CapturedMessage.SOLICIT, 0xabcdef, true),
        new CapturedMessage(1_700_000_000_124_000_001L, CapturedMessage.REPLY, 0xabcdef, false));
  }

  @Test
  void keepsTheDhcpBytesUpToTheUdpLength() {
    byte[] frame = frame(547, 546, "07abcdef" + "000e0000");
    // Ethernet pads short frames; the padding is not part of the datagram.
    byte[] padded = Arrays.copyOf(frame, frame.length + 6);

    assertThat(PcapReader.datagrams(pcap(0xa1b23c4d, record(1, 0, padded)))).singleElement().satisfies(d -> {
      assertThat(d.bytes()).isEqualTo(HEX.parseHex("07abcdef000e0000"));
      assertThat(d.fromClient()).isFalse();
      assertThat(d.message()).isEqualTo(new CapturedMessage(1_000_000_000L, CapturedMessage.REPLY, 0xabcdef, false));
    });
  }

  @Test
  void scalesMicrosecondTimestamps() {
    byte[] file = pcap(0xa1b2c3d4, record(10, 250, frame(547, 546, "02000001")));

    assertThat(PcapReader.read(file)).singleElement()
        .isEqualTo(new CapturedMessage(10_000_250_000L, CapturedMessage.ADVERTISE, 1, false));
  }

  @Test
  void skipsOtherTrafficAndTruncatedRecords() {
    byte[] otherPorts = frame(5353, 5353, "00000000");
    byte[] tooShort = frame(546, 547, "01");
    byte[] file = pcap(0xa1b23c4d, record(1, 0, otherPorts), record(2, 0, tooShort),
        record(3, 0, frame(546, 547, "03000002")));
    byte[] truncated = new byte[file.length - 3];
    System.arraycopy(file, 0, truncated, 0, truncated.length);

    assertThat(PcapReader.read(file)).extracting(CapturedMessage::type).containsExactly(CapturedMessage.REQUEST);
    assertThat(PcapReader.read(truncated)).isEmpty();
  }

  @Test
  void rejectsWhatIsNotPcap() {
    assertThatThrownBy(() -> PcapReader.read(new byte[24])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a pcap file");
  }

  /** A pcap file: 24-byte little-endian global header (link type 1, Ethernet), then the records. */
  private static byte[] pcap(int magic, byte[]... records) {
    ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(magic).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.array());
    for (byte[] record : records) {
      out.writeBytes(record);
    }
    return out.toByteArray();
  }

  private static byte[] record(int seconds, int fraction, byte[] frame) {
    ByteBuffer record = ByteBuffer.allocate(16 + frame.length).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(seconds).putInt(fraction).putInt(frame.length).putInt(frame.length);
    return record.put(frame).array();
  }

  /** Ethernet (type 86dd), IPv6 (next header 17, link-local addresses), UDP, then the DHCPv6 bytes. */
  private static byte[] frame(int sourcePort, int destinationPort, String dhcpHex) {
    byte[] dhcp = HEX.parseHex(dhcpHex);
    ByteBuffer frame = ByteBuffer.allocate(14 + 40 + 8 + dhcp.length);
    frame.put(HEX.parseHex("333300010002" + "020000000001" + "86dd"));
    frame.put(HEX.parseHex("60000000")).putShort((short) (8 + dhcp.length)).put((byte) 17).put((byte) 1);
    frame.put(HEX.parseHex("fe800000000000000000000000000001"));
    frame.put(HEX.parseHex("ff020000000000000000000000010002"));
    frame.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) (8 + dhcp.length))
        .putShort((short) 0);
    return frame.put(dhcp).array();
  }
}
