package io.kubepd.agent.codec;

/**
 * The only exception {@link Dhcp6Codec#decode} throws: the bytes are not a well-formed DHCPv6
 * client/server message. The message names what was wrong; {@link #offset()} says where.
 */
public final class MalformedMessageException extends RuntimeException {
    private final int offset;

    public MalformedMessageException(String problem, int offset) {
        super(problem + " (at offset " + offset + ")");
        this.offset = offset;
    }

    /** Byte offset from the start of the message where the problem was found. */
    public int offset() {
        return offset;
    }
}
