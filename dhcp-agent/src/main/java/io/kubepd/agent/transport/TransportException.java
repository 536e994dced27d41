package io.kubepd.agent.transport;

/** A transport problem the agent cannot work around; the message says what is wrong and what to do. */
public final class TransportException extends RuntimeException {

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
