package io.kubepd.agent.codec;

import java.util.HexFormat;

/** Test helper: bytes from hex text in which whitespace is ignored and '#' starts a comment. */
public final class AnnotatedHex {
    private AnnotatedHex() {
    }

    public static byte[] bytes(String annotated) {
        StringBuilder hex = new StringBuilder();
        for (String line : annotated.split("\n")) {
            int comment = line.indexOf('#');
            hex.append((comment >= 0 ? line.substring(0, comment) : line).replaceAll("\\s+", ""));
        }
        return HexFormat.of().parseHex(hex);
    }
}
