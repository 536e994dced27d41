package io.kubepd.agent.codec;

import java.util.HashMap;
import java.util.Map;

/** DHCPv6 option code (IANA "Option Codes" registry), an open enum: unknown codes keep their number. */
public final class OptionCode extends ProtocolCode {
    private static final Map<Integer, OptionCode> KNOWN = new HashMap<>();

    public static final OptionCode CLIENTID = known(1, "CLIENTID");
    public static final OptionCode SERVERID = known(2, "SERVERID");
    public static final OptionCode IA_NA = known(3, "IA_NA");
    public static final OptionCode IA_TA = known(4, "IA_TA");
    public static final OptionCode IAADDR = known(5, "IAADDR");
    public static final OptionCode ORO = known(6, "ORO");
    public static final OptionCode PREFERENCE = known(7, "PREFERENCE");
    public static final OptionCode ELAPSED_TIME = known(8, "ELAPSED_TIME");
    public static final OptionCode RELAY_MSG = known(9, "RELAY_MSG");
    public static final OptionCode AUTH = known(11, "AUTH");
    public static final OptionCode UNICAST = known(12, "UNICAST");
    public static final OptionCode STATUS_CODE = known(13, "STATUS_CODE");
    public static final OptionCode RAPID_COMMIT = known(14, "RAPID_COMMIT");
    public static final OptionCode USER_CLASS = known(15, "USER_CLASS");
    public static final OptionCode VENDOR_CLASS = known(16, "VENDOR_CLASS");
    public static final OptionCode VENDOR_OPTS = known(17, "VENDOR_OPTS");
    public static final OptionCode INTERFACE_ID = known(18, "INTERFACE_ID");
    public static final OptionCode RECONF_MSG = known(19, "RECONF_MSG");
    public static final OptionCode RECONF_ACCEPT = known(20, "RECONF_ACCEPT");
    public static final OptionCode DNS_SERVERS = known(23, "DNS_SERVERS");
    public static final OptionCode DOMAIN_LIST = known(24, "DOMAIN_LIST");
    public static final OptionCode IA_PD = known(25, "IA_PD");
    public static final OptionCode IAPREFIX = known(26, "IAPREFIX");
    public static final OptionCode INFORMATION_REFRESH_TIME = known(32, "INFORMATION_REFRESH_TIME");
    public static final OptionCode CLIENT_FQDN = known(39, "CLIENT_FQDN");
    public static final OptionCode NTP_SERVER = known(56, "NTP_SERVER");
    public static final OptionCode PD_EXCLUDE = known(67, "PD_EXCLUDE");
    public static final OptionCode SOL_MAX_RT = known(82, "SOL_MAX_RT");
    public static final OptionCode INF_MAX_RT = known(83, "INF_MAX_RT");

    private OptionCode(int code, String name, boolean known) {
        super(code, name, known);
    }

    private static OptionCode known(int code, String name) {
        OptionCode option = new OptionCode(code, name, true);
        KNOWN.put(code, option);
        return option;
    }

    /** The code for a wire value 0..65535; unknown values yield an unnamed code with that number. */
    public static OptionCode valueOf(int code) {
        checkRange(code, 0xffff, "option code");
        OptionCode option = KNOWN.get(code);
        return option != null ? option : new OptionCode(code, null, false);
    }
}
