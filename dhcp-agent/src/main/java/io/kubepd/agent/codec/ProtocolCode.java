package io.kubepd.agent.codec;

/**
 * Base of the open enums for protocol codes: a number plus a name, where a code this build does
 * not know is kept as-is instead of being rejected or dropped.
 */
public abstract class ProtocolCode {
    private final int code;
    private final String name;
    private final boolean known;

    ProtocolCode(int code, String name, boolean known) {
        this.code = code;
        this.name = known ? name : "UNKNOWN(" + code + ")";
        this.known = known;
    }

    /** The numeric code as it appears on the wire. */
    public int code() {
        return code;
    }

    /** The registry name for a known code, {@code UNKNOWN(<code>)} otherwise. */
    public String name() {
        return name;
    }

    /** Whether this code has a name in this build. */
    public boolean isKnown() {
        return known;
    }

    static void checkRange(int code, int max, String what) {
        if (code < 0 || code > max) {
            throw new IllegalArgumentException(what + " " + code + " outside 0.." + max);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((ProtocolCode) o).code == code;
    }

    @Override
    public int hashCode() {
        return code;
    }

    @Override
    public String toString() {
        return name;
    }
}
