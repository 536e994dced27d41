package io.kubepd.agent.transport;

import io.kubepd.agent.codec.Dhcp6Message;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A well-formed server message as it arrived on the uplink.
 *
 * @param source the sender, a server or relay agent; link-local addresses carry the interface as scope id
 */
public record ReceivedMessage(Dhcp6Message message, InetSocketAddress source) {
    public ReceivedMessage {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(source, "source");
    }
}
