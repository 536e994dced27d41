package io.kubepd.agent.codec;

import io.netty.buffer.ByteBuf;
import java.net.Inet6Address;
import java.net.UnknownHostException;

/**
 * Bounds-checked reads over one region of a datagram (the message or one option's data). Every read
 * checks the remaining length first and reports a shortfall as {@link MalformedMessageException}
 * with the offset from the start of the message.
 */
final class WireReader {
    private final ByteBuf buf;
    private final int messageStart;
    private final int end;
    private final String region;
    private int index;

    WireReader(ByteBuf buf, int messageStart, int index, int end, String region) {
        this.buf = buf;
        this.messageStart = messageStart;
        this.index = index;
        this.end = end;
        this.region = region;
    }

    /** Offset of the next byte from the start of the message. */
    int offset() {
        return index - messageStart;
    }

    int remaining() {
        return end - index;
    }

    String region() {
        return region;
    }

    int u8(String field) {
        need(1, field);
        return buf.getUnsignedByte(index++);
    }

    int u16(String field) {
        need(2, field);
        int value = buf.getUnsignedShort(index);
        index += 2;
        return value;
    }

    int u24(String field) {
        need(3, field);
        int value = buf.getUnsignedMedium(index);
        index += 3;
        return value;
    }

    long u32(String field) {
        need(4, field);
        long value = buf.getUnsignedInt(index);
        index += 4;
        return value;
    }

    long u64(String field) {
        need(8, field);
        long value = buf.getLong(index);
        index += 8;
        return value;
    }

    byte[] bytes(int length, String field) {
        need(length, field);
        byte[] bytes = new byte[length];
        buf.getBytes(index, bytes);
        index += length;
        return bytes;
    }

    byte[] rest() {
        return bytes(remaining(), "data");
    }

    Inet6Address address(String field) {
        byte[] bytes = bytes(16, field);
        try {
            // This factory keeps IPv4-mapped addresses as Inet6Address, unlike InetAddress.getByAddress.
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }

    /** Reader over the next {@code length} bytes, which this reader then skips. */
    WireReader region(int length, String name) {
        need(length, name);
        WireReader sub = new WireReader(buf, messageStart, index, index + length, name);
        index += length;
        return sub;
    }

    /** Fails if bytes are left, for fixed-size data. */
    void expectEnd() {
        if (remaining() > 0) {
            throw malformed(remaining() + " unexpected trailing bytes");
        }
    }

    MalformedMessageException malformed(String problem) {
        return new MalformedMessageException(region + ": " + problem, offset());
    }

    private void need(int length, String field) {
        if (remaining() < length) {
            throw malformed("truncated, " + field + " needs " + length + " bytes but " + remaining() + " remain");
        }
    }
}
