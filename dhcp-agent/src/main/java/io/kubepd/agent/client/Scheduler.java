package io.kubepd.agent.client;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs named one-shot timers on monotonic time, on the thread that drives the client. The name is
 * for logs and tests; the client cancels a timer when the state it belongs to ends.
 */
public interface Scheduler {
    Timer schedule(String name, Duration delay, Runnable task);

    /** A scheduled task that has not run yet, or has. */
    interface Timer {
        /** Prevents the task from running; harmless if it already ran. */
        void cancel();
    }

    /**
     * A scheduler backed by an executor, such as the netty event loop that also delivers the
     * client's messages, so that timers and messages reach the client on one thread.
     */
    static Scheduler on(ScheduledExecutorService executor) {
        return (name, delay, task) -> {
            ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }
}
