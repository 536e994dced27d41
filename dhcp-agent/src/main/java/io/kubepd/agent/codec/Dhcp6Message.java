package io.kubepd.agent.codec;

import io.kubepd.agent.codec.option.Dhcp6Option;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable DHCPv6 client/server message (RFC 8415 §8): type, 24-bit transaction id and the
 * top-level options in wire order.
 */
public record Dhcp6Message(MessageType type, int transactionId, List<Dhcp6Option> options) {
    /** Largest transaction id: the field is 24 bits. */
    public static final int MAX_TRANSACTION_ID = 0xff_ffff;

    public Dhcp6Message {
        Objects.requireNonNull(type, "type");
        if (transactionId < 0 || transactionId > MAX_TRANSACTION_ID) {
            throw new IllegalArgumentException("transaction id " + transactionId + " is not 24-bit");
        }
        options = List.copyOf(options);
    }

    public static Dhcp6Message of(MessageType type, int transactionId, Dhcp6Option... options) {
        return new Dhcp6Message(type, transactionId, List.of(options));
    }

    /** The first top-level option of the given class, if any. */
    public <T extends Dhcp6Option> Optional<T> option(Class<T> optionClass) {
        return options.stream().filter(optionClass::isInstance).map(optionClass::cast).findFirst();
    }

    /** All top-level options of the given class, in wire order. */
    public <T extends Dhcp6Option> List<T> options(Class<T> optionClass) {
        return options.stream().filter(optionClass::isInstance).map(optionClass::cast).toList();
    }

    @Override
    public String toString() {
        return type + " xid=0x" + Integer.toHexString(transactionId) + " " + options;
    }
}
