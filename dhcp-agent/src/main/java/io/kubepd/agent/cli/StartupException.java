package io.kubepd.agent.cli;

/** The standalone mode could not start; the message says what is wrong and what to do. */
final class StartupException extends Exception {
    StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
