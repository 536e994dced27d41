package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.OptionCode;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Domain Search List option (RFC 3646 §4): fully qualified names in uncompressed DNS wire format
 * (RFC 8415 §10). Names are held in DNS presentation format without the trailing dot ({@code "."}
 * for the root); bytes outside printable ASCII, dots and backslashes inside labels are escaped as
 * {@code \DDD} or {@code \.}, so any wire name survives a decode/encode round trip unchanged.
 */
public record DomainListOption(List<String> domains) implements Dhcp6Option {
    private static final int MAX_LABEL = 63;
    private static final int MAX_NAME = 255;

    /** Validates every name and stores it in canonical form. */
    public DomainListOption {
        domains = domains.stream().map(name -> {
            byte[] wire = toWire(name);
            return readName(wire, new int[] {0});
        }).toList();
    }

    /** Decodes option data; throws {@link IllegalArgumentException} saying which byte is wrong. */
    public static DomainListOption fromWire(byte[] data) {
        List<String> names = new ArrayList<>();
        int[] cursor = {0};
        while (cursor[0] < data.length) {
            names.add(readName(data, cursor));
        }
        return new DomainListOption(names);
    }

    @Override
    public OptionCode code() {
        return OptionCode.DOMAIN_LIST;
    }

    @Override
    public void encodeData(ByteBuf out) {
        domains.forEach(name -> out.writeBytes(toWire(name)));
    }

    private static String readName(byte[] data, int[] cursor) {
        int start = cursor[0];
        int i = start;
        StringBuilder name = new StringBuilder();
        while (true) {
            if (i >= data.length) {
                throw new IllegalArgumentException("domain name at byte " + start + " lacks its terminating root label");
            }
            int length = data[i] & 0xff;
            if (length == 0) {
                i++;
                break;
            }
            if (length > MAX_LABEL) {
                // 0xC0 and up would be a compression pointer, which RFC 8415 §10 forbids.
                throw new IllegalArgumentException("label length " + length + " at byte " + i + " exceeds " + MAX_LABEL);
            }
            if (i + 1 + length > data.length) {
                throw new IllegalArgumentException("label at byte " + i + " runs past the end of the option");
            }
            if (name.length() > 0) {
                name.append('.');
            }
            appendEscaped(name, data, i + 1, length);
            i += 1 + length;
            if (i - start >= MAX_NAME) {
                throw new IllegalArgumentException("domain name at byte " + start + " is longer than " + MAX_NAME + " bytes");
            }
        }
        cursor[0] = i;
        return name.length() == 0 ? "." : name.toString();
    }

    private static void appendEscaped(StringBuilder out, byte[] data, int from, int length) {
        for (int i = from; i < from + length; i++) {
            int b = data[i] & 0xff;
            if (b == '.' || b == '\\') {
                out.append('\\').append((char) b);
            } else if (b > 0x20 && b < 0x7f) {
                out.append((char) b);
            } else {
                out.append('\\').append(String.format("%03d", b));
            }
        }
    }

    private static byte[] toWire(String name) {
        if (name.equals(".")) {
            return new byte[] {0};
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty domain name");
        }
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream label = new ByteArrayOutputStream();
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c == '.') {
                endLabel(name, label, wire);
                i++;
            } else if (c == '\\') {
                i = unescape(name, i, label);
            } else if (c > 0x20 && c < 0x7f) {
                label.write(c);
                i++;
            } else {
                throw new IllegalArgumentException("character U+" + Integer.toHexString(c) + " in \"" + name
                        + "\" must be written as a \\DDD escape");
            }
        }
        if (label.size() > 0) {
            endLabel(name, label, wire);
        }
        wire.write(0);
        if (wire.size() > MAX_NAME) {
            throw new IllegalArgumentException("domain name \"" + name + "\" is longer than " + MAX_NAME + " bytes");
        }
        return wire.toByteArray();
    }

    private static int unescape(String name, int at, ByteArrayOutputStream label) {
        if (isDigits(name, at + 1)) {
            int value = Integer.parseInt(name.substring(at + 1, at + 4));
            if (value > 0xff) {
                throw new IllegalArgumentException("escape \\" + value + " in \"" + name + "\" is not a byte");
            }
            label.write(value);
            return at + 4;
        }
        if (at + 1 >= name.length() || name.charAt(at + 1) <= 0x20 || name.charAt(at + 1) >= 0x7f
                || Character.isDigit(name.charAt(at + 1))) {
            throw new IllegalArgumentException("bad escape at index " + at + " in \"" + name + "\"");
        }
        label.write(name.charAt(at + 1));
        return at + 2;
    }

    private static boolean isDigits(String name, int from) {
        for (int i = from; i < from + 3; i++) {
            if (i >= name.length() || name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static void endLabel(String name, ByteArrayOutputStream label, ByteArrayOutputStream wire) {
        if (label.size() == 0) {
            throw new IllegalArgumentException("empty label in \"" + name + "\"");
        }
        if (label.size() > MAX_LABEL) {
            throw new IllegalArgumentException("label longer than " + MAX_LABEL + " bytes in \"" + name + "\"");
        }
        wire.write(label.size());
        wire.writeBytes(label.toByteArray());
        label.reset();
    }
}
