package io.kubepd.agent.client;

/**
 * Receives every change to the client's delegated prefixes, on the client's thread. It must not
 * call back into the client from {@link #onLeaseEvent}: the client is mid-transition then.
 */
public interface LeaseListener {
    void onLeaseEvent(LeaseEvent event);
}
