package io.kubepd.e2e.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the DHCPv6 messages out of a classic pcap file of Ethernet frames, as {@code tcpdump -w} writes it: only
 * IPv6/UDP datagrams between ports 546 and 547 count; anything else, and truncated records, are skipped.
 */
final class PcapReader {
  private static final int MAGIC_MICROS = 0xa1b2c3d4;
  private static final int MAGIC_NANOS = 0xa1b23c4d;
  private static final int LINKTYPE_ETHERNET = 1;
  private static final int GLOBAL_HEADER = 24;
  private static final int RECORD_HEADER = 16;
  private static final int ETHERNET_HEADER = 14;
  private static final int ETHERTYPE_IPV6 = 0x86dd;
  private static final int ETHERTYPE_VLAN = 0x8100;
  private static final int IPV6_HEADER = 40;
  private static final int NEXT_HEADER_UDP = 17;
  private static final int UDP_HEADER = 8;
  private static final int CLIENT_PORT = 546;
  private static final int SERVER_PORT = 547;

  private PcapReader() {}

  /** The DHCPv6 messages in {@code file}: type, transaction id, direction and time. */
  static List<CapturedMessage> read(byte[] file) {
    return datagrams(file).stream().map(Datagram::message).toList();
  }

  /** The DHCPv6 messages in {@code file} with their bytes, the UDP payloads. */
  static List<Datagram> datagrams(byte[] file) {
    if (file.length < GLOBAL_HEADER) {
      return List.of();
    }
    ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int magic = buffer.getInt(0);
    if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
      buffer.order(ByteOrder.BIG_ENDIAN);
      magic = buffer.getInt(0);
    }
    if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
      throw new IllegalArgumentException(String.format("not a pcap file (magic %08x)", magic));
    }
    long fractionToNanos = magic == MAGIC_NANOS ? 1 : 1000;
    int linkType = buffer.getInt(20);
    if (linkType != LINKTYPE_ETHERNET) {
      throw new IllegalArgumentException("pcap link type " + linkType + ", expected Ethernet (1)");
    }
    List<Datagram> datagrams = new ArrayList<>();
    int at = GLOBAL_HEADER;
    while (at + RECORD_HEADER <= file.length) {
      long seconds = Integer.toUnsignedLong(buffer.getInt(at));
      long fraction = Integer.toUnsignedLong(buffer.getInt(at + 4));
      int captured = buffer.getInt(at + 8);
      int frame = at + RECORD_HEADER;
      if (captured < 0 || frame + captured > file.length) {
        break;
      }
      ByteBuffer packet = ByteBuffer.wrap(file, frame, captured).slice().order(ByteOrder.BIG_ENDIAN);
      decode(packet, seconds * 1_000_000_000L + fraction * fractionToNanos).ifPresent(datagrams::add);
      at = frame + captured;
    }
    return datagrams;
  }

  private static Optional<Datagram> decode(ByteBuffer packet, long epochNanos) {
    int ip = ETHERNET_HEADER;
    if (packet.limit() < ip) {
      return Optional.empty();
    }
    int etherType = Short.toUnsignedInt(packet.getShort(12));
    if (etherType == ETHERTYPE_VLAN && packet.limit() >= ip + 4) {
      etherType = Short.toUnsignedInt(packet.getShort(16));
      ip += 4;
    }
    int udp = ip + IPV6_HEADER;
    int dhcp = udp + UDP_HEADER;
    if (etherType != ETHERTYPE_IPV6 || packet.limit() < dhcp + 4
        || Byte.toUnsignedInt(packet.get(ip + 6)) != NEXT_HEADER_UDP) {
      return Optional.empty();
    }
    int dhcpLength = Short.toUnsignedInt(packet.getShort(udp + 4)) - UDP_HEADER;
    if (dhcpLength < 4 || dhcp + dhcpLength > packet.limit()) {
      return Optional.empty();
    }
    int sourcePort = Short.toUnsignedInt(packet.getShort(udp));
    int destinationPort = Short.toUnsignedInt(packet.getShort(udp + 2));
    boolean fromClient = sourcePort == CLIENT_PORT && destinationPort == SERVER_PORT;
    boolean fromServer = sourcePort == SERVER_PORT && destinationPort == CLIENT_PORT;
    if (!fromClient && !fromServer) {
      return Optional.empty();
    }
    byte[] bytes = new byte[dhcpLength];
    packet.get(dhcp, bytes);
    return Optional.of(new Datagram(epochNanos, fromClient, bytes));
  }

  /** One DHCPv6 message on the wire with its bytes (the UDP payload, as the receiver's socket returns it). */
  record Datagram(long epochNanos, boolean fromClient, byte[] bytes) {
    int type() {
      return Byte.toUnsignedInt(bytes[0]);
    }

    int transactionId() {
      return (Byte.toUnsignedInt(bytes[1]) << 16) | (Byte.toUnsignedInt(bytes[2]) << 8) | Byte.toUnsignedInt(bytes[3]);
    }

    CapturedMessage message() {
      return new CapturedMessage(epochNanos, type(), transactionId(), fromClient);
    }
  }

  /** One DHCPv6 message on the wire: kernel timestamp (epoch ns), message type, transaction id, direction. */
  record CapturedMessage(long epochNanos, int type, int transactionId, boolean fromClient) {
    static final int SOLICIT = 1;
    static final int ADVERTISE = 2;
    static final int REQUEST = 3;
    static final int RENEW = 5;
    static final int REBIND = 6;
    static final int REPLY = 7;
    static final int RELEASE = 8;
  }
}
