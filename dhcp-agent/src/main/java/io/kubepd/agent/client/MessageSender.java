package io.kubepd.agent.client;

import io.kubepd.agent.codec.Dhcp6Message;

/** Sends the client's messages on its uplink; implemented by the transport. */
public interface MessageSender {
    void send(Dhcp6Message message, Destination destination);
}
