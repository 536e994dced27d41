package io.kubepd.agent.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Test helper: the messages of one exchange captured from a real server, read from a file under
 * {@code src/test/resources/captures} that {@code scripts/capture-dhcp6.sh} wrote: {@link AnnotatedHex} in which a
 * {@code ---} line starts each message.
 */
public final class CapturedExchange {
    // The agents' DUID-LLs: the capture tool gives the lab nodes these MACs.
    public static final Duid CLIENT = Duid.ll(AnnotatedHex.bytes("02 00 00 00 00 01"));
    public static final Duid SECOND_CLIENT = Duid.ll(AnnotatedHex.bytes("02 00 00 00 00 02"));
    /** The agent's IAID for uplink0: derived from the interface name, so the same in every capture. */
    public static final long IAID = 0x703acfb1L;
    // The servers' DUID-LLTs, made from a random MAC of the lab router when each first started: new in every capture.
    public static final Duid KEA =
            Duid.llt(Instant.parse("2026-11-28T00:16:44Z"), AnnotatedHex.bytes("16 2a ef 52 a6 22"));
    public static final Duid DHCPD =
            Duid.llt(Instant.parse("2026-11-28T00:17:07Z"), AnnotatedHex.bytes("16 2a ef 52 a6 22"));

    private CapturedExchange() {
    }

    /** The messages of {@code file}, e.g. {@code kea-2.2.0/renew-reply.hex}, as they were on the wire, in order. */
    public static List<byte[]> datagrams(String file) {
        try (InputStream in = CapturedExchange.class.getResourceAsStream("/captures/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no capture " + file + " in src/test/resources/captures");
            }
            String[] parts = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("(?m)^---.*$");
            // Before the first "---" is the file's header.
            return Arrays.stream(parts).skip(1).map(AnnotatedHex::bytes).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The messages of {@code file}, decoded. */
    public static List<Dhcp6Message> messages(String file) {
        return datagrams(file).stream().map(Dhcp6Codec::decode).toList();
    }

    /** {@code wire} with its transaction id replaced by {@code transactionId}. */
    public static byte[] withTransactionId(byte[] wire, int transactionId) {
        byte[] copy = wire.clone();
        copy[1] = (byte) (transactionId >> 16);
        copy[2] = (byte) (transactionId >> 8);
        copy[3] = (byte) transactionId;
        return copy;
    }
}
