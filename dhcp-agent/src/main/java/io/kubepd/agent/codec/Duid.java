package io.kubepd.agent.codec;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A DHCP Unique Identifier (RFC 8415 §11): a 2-byte type followed by 1..128 opaque bytes. Compared
 * only for equality, as the RFC requires; the text form is colon-separated hex as Kea prints it.
 */
public final class Duid {
    /** Shortest DUID: type plus one byte (RFC 8415 §11.1). */
    public static final int MIN_LENGTH = 3;
    /** Longest DUID: type plus 128 bytes (RFC 8415 §11.1). */
    public static final int MAX_LENGTH = 130;
    /** IANA hardware type of Ethernet, used by the link-layer DUID factories. */
    public static final int HARDWARE_TYPE_ETHERNET = 1;

    private static final HexFormat HEX = HexFormat.ofDelimiter(":");
    // DUID-LLT time counts seconds from 2000-01-01T00:00:00Z (RFC 8415 §11.2).
    private static final Instant LLT_EPOCH = Instant.parse("2000-01-01T00:00:00Z");

    private final byte[] bytes;

    private Duid(byte[] bytes) {
        if (bytes.length < MIN_LENGTH || bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "DUID length " + bytes.length + " outside " + MIN_LENGTH + ".." + MAX_LENGTH);
        }
        this.bytes = bytes;
    }

    /** A DUID from its wire bytes, type included. */
    public static Duid of(byte[] bytes) {
        return new Duid(bytes.clone());
    }

    /** Parses hex, with or without colons ({@code 00:03:00:01:aa:bb:cc:dd:ee:ff}). */
    public static Duid parse(String text) {
        String hex = text.strip();
        return new Duid(hex.indexOf(':') >= 0 ? HEX.parseHex(hex) : HexFormat.of().parseHex(hex));
    }

    /** DUID-LLT (RFC 8415 §11.2) for an Ethernet address, stamped with the given creation time. */
    public static Duid llt(Instant created, byte[] mac) {
        long seconds = created.getEpochSecond() - LLT_EPOCH.getEpochSecond();
        return new Duid(ByteBuffer.allocate(8 + mac.length)
                .putShort((short) DuidType.LLT.code())
                .putShort((short) HARDWARE_TYPE_ETHERNET)
                .putInt((int) seconds) // modulo 2^32, as the RFC specifies
                .put(mac)
                .array());
    }

    /** DUID-EN (RFC 8415 §11.3): a private enterprise number and a vendor-assigned identifier. */
    public static Duid en(long enterpriseNumber, byte[] identifier) {
        if (enterpriseNumber < 0 || enterpriseNumber > 0xffff_ffffL) {
            throw new IllegalArgumentException("enterprise number " + enterpriseNumber + " is not 32-bit");
        }
        return new Duid(ByteBuffer.allocate(6 + identifier.length)
                .putShort((short) DuidType.EN.code())
                .putInt((int) enterpriseNumber)
                .put(identifier)
                .array());
    }

    /** DUID-LL (RFC 8415 §11.4) for an Ethernet address. */
    public static Duid ll(byte[] mac) {
        return new Duid(ByteBuffer.allocate(4 + mac.length)
                .putShort((short) DuidType.LL.code())
                .putShort((short) HARDWARE_TYPE_ETHERNET)
                .put(mac)
                .array());
    }

    /** DUID-UUID (RFC 6355). */
    public static Duid uuid(UUID uuid) {
        return new Duid(ByteBuffer.allocate(18)
                .putShort((short) DuidType.UUID.code())
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array());
    }

    /** The type from the first two bytes; unknown types are kept. */
    public DuidType type() {
        return DuidType.valueOf(((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff));
    }

    /** The wire bytes, type included (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Number of wire bytes, type included. */
    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Duid other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Colon-separated hex, the form {@link #parse} reads back. */
    @Override
    public String toString() {
        return HEX.formatHex(bytes);
    }
}
