package io.kubepd.agent.codec.option;

/** Range check for the unsigned 32-bit fields the options carry in a {@code long}. */
final class Uint32 {
    static final long MAX = 0xffff_ffffL;

    private Uint32() {
    }

    static void check(long value, String field) {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException(field + " " + value + " is not an unsigned 32-bit value");
        }
    }
}
