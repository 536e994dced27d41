package io.kubepd.agent.transport;

import io.kubepd.agent.codec.Dhcp6Message;
import java.net.InetSocketAddress;
import java.util.Objects;

/** A message on its way out of the uplink, with its destination; what {@link Dhcp6DatagramEncoder} encodes. */
record OutboundMessage(Dhcp6Message message, InetSocketAddress recipient) {
    OutboundMessage {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(recipient, "recipient");
    }
}
