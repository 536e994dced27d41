package io.kubepd.agent.codec;

import java.util.HashMap;
import java.util.Map;

/** DHCPv6 message type (RFC 8415 §7.3), an open enum: unknown types keep their number. */
public final class MessageType extends ProtocolCode {
    private static final Map<Integer, MessageType> KNOWN = new HashMap<>();

    public static final MessageType SOLICIT = known(1, "SOLICIT");
    public static final MessageType ADVERTISE = known(2, "ADVERTISE");
    public static final MessageType REQUEST = known(3, "REQUEST");
    public static final MessageType CONFIRM = known(4, "CONFIRM");
    public static final MessageType RENEW = known(5, "RENEW");
    public static final MessageType REBIND = known(6, "REBIND");
    public static final MessageType REPLY = known(7, "REPLY");
    public static final MessageType RELEASE = known(8, "RELEASE");
    public static final MessageType DECLINE = known(9, "DECLINE");
    public static final MessageType RECONFIGURE = known(10, "RECONFIGURE");
    public static final MessageType INFORMATION_REQUEST = known(11, "INFORMATION-REQUEST");
    public static final MessageType RELAY_FORW = known(12, "RELAY-FORW");
    public static final MessageType RELAY_REPL = known(13, "RELAY-REPL");

    private MessageType(int code, String name, boolean known) {
        super(code, name, known);
    }

    private static MessageType known(int code, String name) {
        MessageType type = new MessageType(code, name, true);
        KNOWN.put(code, type);
        return type;
    }

    /** The type for a wire value 0..255; unknown values yield an unnamed type with that number. */
    public static MessageType valueOf(int code) {
        checkRange(code, 0xff, "message type");
        MessageType type = KNOWN.get(code);
        return type != null ? type : new MessageType(code, null, false);
    }
}
