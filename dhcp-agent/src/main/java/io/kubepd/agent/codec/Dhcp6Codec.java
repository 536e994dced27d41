package io.kubepd.agent.codec;

import io.kubepd.agent.codec.option.Dhcp6Option;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * Encodes and decodes DHCPv6 client/server messages (RFC 8415 §8). Decoding checks every length
 * and throws only {@link MalformedMessageException}; a message it accepts re-encodes to exactly
 * the bytes it came from. Relay messages are rejected: they never reach a client.
 */
public final class Dhcp6Codec {
    private Dhcp6Codec() {
    }

    /** Decodes the readable bytes of {@code datagram}, leaving its indices and reference count alone. */
    public static Dhcp6Message decode(ByteBuf datagram) {
        int start = datagram.readerIndex();
        WireReader r = new WireReader(datagram, start, start, datagram.writerIndex(), "message");
        MessageType type = MessageType.valueOf(r.u8("msg-type"));
        if (type.equals(MessageType.RELAY_FORW) || type.equals(MessageType.RELAY_REPL)) {
            throw new MalformedMessageException(type + " is a relay message, which a client never receives", 0);
        }
        int transactionId = r.u24("transaction-id");
        return new Dhcp6Message(type, transactionId, OptionDecoder.decodeAll(r, 0));
    }

    public static Dhcp6Message decode(byte[] datagram) {
        return decode(Unpooled.wrappedBuffer(datagram));
    }

    /** Appends the wire form of {@code message} to {@code out}. */
    public static void encode(Dhcp6Message message, ByteBuf out) {
        out.writeByte(message.type().code());
        out.writeMedium(message.transactionId());
        Dhcp6Option.encodeAll(message.options(), out);
    }

    public static byte[] encode(Dhcp6Message message) {
        ByteBuf out = Unpooled.buffer();
        try {
            encode(message, out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
