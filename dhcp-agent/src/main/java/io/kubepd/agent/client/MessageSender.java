package io.kubepd.agent.client;

import io.kubepd.agent.codec.Dhcp6Message;

/** Sends the client's messages on its uplink; implemented by the transport. */
public interface MessageSender {
    /**
     * Sends {@code message} and runs {@code written} on the client's thread once the datagram is
     * written to the socket, or once sending it failed: the retransmission timer starts then.
     */
    void send(Dhcp6Message message, Destination destination, Runnable written);
}
