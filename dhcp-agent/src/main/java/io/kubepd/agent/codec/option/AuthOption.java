package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.OptionCode;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Authentication option (RFC 8415 §21.11). Any protocol is carried; the reconfigure key
 * authentication protocol (RKAP, §20.4) has helpers because it is the one a client must speak.
 *
 * @param replayDetection the 64-bit replay detection field, compared as unsigned
 * @param authInfo the protocol-specific authentication information
 */
public record AuthOption(int protocol, int algorithm, int rdm, long replayDetection, byte[] authInfo)
        implements Dhcp6Option {
    /** Protocol number of RKAP (RFC 8415 §20.4.1). */
    public static final int PROTOCOL_RECONFIGURE_KEY = 3;
    /** Algorithm number of HMAC-MD5, the only RKAP algorithm (RFC 8415 §20.4.1). */
    public static final int ALGORITHM_HMAC_MD5 = 1;
    /** Replay detection method 0: a monotonically increasing counter (RFC 8415 §20.3). */
    public static final int RDM_MONOTONIC_COUNTER = 0;
    /** RKAP information type carrying the reconfigure key, sent in a Reply (RFC 8415 §20.4.1). */
    public static final int RKAP_TYPE_KEY = 1;
    /** RKAP information type carrying the HMAC-MD5 digest, sent in a Reconfigure (RFC 8415 §20.4.1). */
    public static final int RKAP_TYPE_HMAC_MD5 = 2;
    /** Length of the RKAP key or digest value. */
    public static final int RKAP_VALUE_LENGTH = 16;

    public AuthOption {
        checkByte(protocol, "protocol");
        checkByte(algorithm, "algorithm");
        checkByte(rdm, "RDM");
        authInfo = authInfo.clone();
    }

    /** An RKAP option: type 1 (key) in a Reply, type 2 (digest) in a Reconfigure. */
    public static AuthOption rkap(long replayDetection, int rkapType, byte[] value) {
        if (value.length != RKAP_VALUE_LENGTH) {
            throw new IllegalArgumentException("RKAP value must be " + RKAP_VALUE_LENGTH + " bytes, got " + value.length);
        }
        byte[] info = new byte[1 + RKAP_VALUE_LENGTH];
        info[0] = (byte) rkapType;
        System.arraycopy(value, 0, info, 1, RKAP_VALUE_LENGTH);
        return new AuthOption(PROTOCOL_RECONFIGURE_KEY, ALGORITHM_HMAC_MD5, RDM_MONOTONIC_COUNTER, replayDetection, info);
    }

    /** Whether this is a well-formed RKAP option: protocol 3, HMAC-MD5, counter RDM, type + 16 bytes. */
    public boolean isRkap() {
        return protocol == PROTOCOL_RECONFIGURE_KEY && algorithm == ALGORITHM_HMAC_MD5
                && rdm == RDM_MONOTONIC_COUNTER && authInfo.length == 1 + RKAP_VALUE_LENGTH;
    }

    /** The RKAP information type; only meaningful if {@link #isRkap()}. */
    public int rkapType() {
        requireRkap();
        return authInfo[0] & 0xff;
    }

    /** The RKAP key or digest; only meaningful if {@link #isRkap()}. */
    public byte[] rkapValue() {
        requireRkap();
        return Arrays.copyOfRange(authInfo, 1, authInfo.length);
    }

    /** This option with the RKAP value zeroed, as the HMAC-MD5 input requires (RFC 8415 §20.4.3). */
    public AuthOption withZeroedRkapValue() {
        requireRkap();
        return rkap(replayDetection, rkapType(), new byte[RKAP_VALUE_LENGTH]);
    }

    @Override
    public byte[] authInfo() {
        return authInfo.clone();
    }

    @Override
    public OptionCode code() {
        return OptionCode.AUTH;
    }

    @Override
    public void encodeData(ByteBuf out) {
        out.writeByte(protocol).writeByte(algorithm).writeByte(rdm).writeLong(replayDetection).writeBytes(authInfo);
    }

    private void requireRkap() {
        if (!isRkap()) {
            throw new IllegalStateException("not an RKAP authentication option: " + this);
        }
    }

    private static void checkByte(int value, String field) {
        if (value < 0 || value > 0xff) {
            throw new IllegalArgumentException(field + " " + value + " outside 0..255");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthOption other && protocol == other.protocol && algorithm == other.algorithm
                && rdm == other.rdm && replayDetection == other.replayDetection
                && Arrays.equals(authInfo, other.authInfo);
    }

    @Override
    public int hashCode() {
        return ((protocol * 31 + algorithm) * 31 + rdm) * 31 + Long.hashCode(replayDetection) * 31
                + Arrays.hashCode(authInfo);
    }

    /** Shows the fields but never the key material. */
    @Override
    public String toString() {
        return "AuthOption[protocol=" + protocol + ", algorithm=" + algorithm + ", rdm=" + rdm
                + ", replayDetection=" + Long.toUnsignedString(replayDetection)
                + ", authInfo=" + authInfo.length + " bytes]";
    }
}
