package io.kubepd.agent.warmup;

import io.kubepd.agent.client.LeaseEvent;
import io.kubepd.agent.client.LeaseListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Runs the code of the first exchanges once before the real client needs it, so that the first Advertise and Reply
 * are not handled by cold code (class loading, linking, first calls of lambdas, locale data, Jackson building its
 * serializers). It begins first thing in main, on daemon threads beside picocli reading the command line, and nothing
 * waits for it: {@link EarlyWarmup} (what the first log line and state file need) and {@link ExchangeWarmup} (what
 * the first exchange needs); once the command is known, its own handling of events ({@link #proceed}) gets the
 * throwaway clients' events too. No socket, no file, no event outside, no log line above debug: the agent's own
 * clients and files never see it. A failure is only logged at debug: the agent works the same without the warm-up,
 * only its first exchange is slower. It creates loggers, so main sets the log level before it begins.
 */
public final class Warmup {

    private static Background process;

    private Warmup() {
    }

    /**
     * Begins the process's warm-up; first thing in main, once the log level is set. Once per process.
     *
     * @param commandLine the class of the command line picocli is about to read, whose annotations the warm-up parses
     *     alongside (null: none)
     */
    public static synchronized void begin(Class<?> commandLine) {
        if (process == null) {
            process = new Background(commandLine);
        }
    }

    /**
     * Has {@code hook} hear the throwaway clients' events as well, to warm what the command does with events; begins
     * the warm-up first if {@link #begin} was not called (the command line run without main). Only the first call
     * counts.
     */
    public static synchronized void proceed(LeaseListener hook) {
        if (process == null) {
            // The command line has been read already: no annotations left to parse alongside.
            process = new Background(null);
        }
        process.proceed(hook);
    }

    /** The whole warm-up on the calling thread, e.g. for a class-data archive's training run. */
    public static void run(Class<?> commandLine, LeaseListener hook) throws IOException {
        EarlyWarmup.run(commandLine);
        ExchangeWarmup.run(hook);
    }

    /** One warm-up on two daemon threads, so that the exchanges do not wait for the date formatting and JSON. */
    static final class Background {
        private final CompletableFuture<LeaseListener> hook = new CompletableFuture<>();
        private final Class<?> commandLine;
        // Runnables as classes, not lambdas: the first lambda of the process costs ~10 ms of linking, which the
        // warm-up rather than main should pay.
        private final Thread early = daemon("warm-up", new Runnable() {
            @Override
            public void run() {
                runEarly(commandLine);
            }
        });
        private final Thread exchanges = daemon("warm-up-exchanges", new Runnable() {
            @Override
            public void run() {
                runExchanges();
            }
        });

        Background(Class<?> commandLine) {
            this.commandLine = commandLine;
            early.start();
            exchanges.start();
        }

        void proceed(LeaseListener listener) {
            hook.complete(listener);
        }

        Thread early() {
            return early;
        }

        Thread exchanges() {
            return exchanges;
        }

        private static void runEarly(Class<?> commandLine) {
            try {
                EarlyWarmup.run(commandLine);
            } catch (RuntimeException | IOException e) {
                LoggerFactory.getLogger(Warmup.class).debug("warm-up of date formatting and JSON failed: {}",
                        e.toString());
            }
        }

        private void runExchanges() {
            long started = System.nanoTime();
            List<LeaseEvent> events = new ArrayList<>();
            try {
                ExchangeWarmup.run(events::add);
                LoggerFactory.getLogger(Warmup.class).debug("warm-up exchanges done in {} ms",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                // Waits for the command (forever with --help: the thread is a daemon).
                events.forEach(hook.join()::onLeaseEvent);
            } catch (RuntimeException | IOException e) {
                LoggerFactory.getLogger(Warmup.class).debug("warm-up failed; the first exchange runs cold: {}",
                        e.toString());
            }
        }

        private static Thread daemon(String name, Runnable task) {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        }
    }
}
