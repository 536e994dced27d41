package io.kubepd.agent.client;

import java.time.Instant;

/** The client's source of time: a monotonic clock for timers and a wall clock for lease records. */
public interface Clock {
    /** Monotonic nanoseconds, as {@link System#nanoTime()}: only differences are meaningful. */
    long nanoTime();

    /** Wall-clock time, for the instants written into {@link Lease}. */
    Instant now();

    /** The system clocks. */
    static Clock system() {
        return new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public Instant now() {
                return Instant.now();
            }
        };
    }
}
