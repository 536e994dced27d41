package io.kubepd.agent.codec;

import java.util.HashMap;
import java.util.Map;

/** DUID type (RFC 8415 §11.1), an open enum: unknown types keep their number. */
public final class DuidType extends ProtocolCode {
    private static final Map<Integer, DuidType> KNOWN = new HashMap<>();

    public static final DuidType LLT = known(1, "DUID-LLT");
    public static final DuidType EN = known(2, "DUID-EN");
    public static final DuidType LL = known(3, "DUID-LL");
    public static final DuidType UUID = known(4, "DUID-UUID");

    private DuidType(int code, String name, boolean known) {
        super(code, name, known);
    }

    private static DuidType known(int code, String name) {
        DuidType type = new DuidType(code, name, true);
        KNOWN.put(code, type);
        return type;
    }

    /** The type for a wire value 0..65535; unknown values yield an unnamed type with that number. */
    public static DuidType valueOf(int code) {
        checkRange(code, 0xffff, "DUID type");
        DuidType type = KNOWN.get(code);
        return type != null ? type : new DuidType(code, null, false);
    }
}
