package io.kubepd.agent.codec;

import java.util.HashMap;
import java.util.Map;

/** DHCPv6 status code (RFC 8415 §21.13), an open enum: unknown codes keep their number. */
public final class StatusCode extends ProtocolCode {
    private static final Map<Integer, StatusCode> KNOWN = new HashMap<>();

    public static final StatusCode SUCCESS = known(0, "Success");
    public static final StatusCode UNSPEC_FAIL = known(1, "UnspecFail");
    public static final StatusCode NO_ADDRS_AVAIL = known(2, "NoAddrsAvail");
    public static final StatusCode NO_BINDING = known(3, "NoBinding");
    public static final StatusCode NOT_ON_LINK = known(4, "NotOnLink");
    public static final StatusCode USE_MULTICAST = known(5, "UseMulticast");
    public static final StatusCode NO_PREFIX_AVAIL = known(6, "NoPrefixAvail");

    private StatusCode(int code, String name, boolean known) {
        super(code, name, known);
    }

    private static StatusCode known(int code, String name) {
        StatusCode status = new StatusCode(code, name, true);
        KNOWN.put(code, status);
        return status;
    }

    /** The status for a wire value 0..65535; unknown values yield an unnamed status with that number. */
    public static StatusCode valueOf(int code) {
        checkRange(code, 0xffff, "status code");
        StatusCode status = KNOWN.get(code);
        return status != null ? status : new StatusCode(code, null, false);
    }
}
