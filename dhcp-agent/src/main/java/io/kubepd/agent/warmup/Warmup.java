package io.kubepd.agent.warmup;

import io.kubepd.agent.client.LeaseListener;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.LoggerFactory;

/**
 * Runs the code of the first exchanges once before the real client needs it, so that the first Advertise and Reply
 * are not handled by cold code (class loading, linking, first calls of lambdas and string concatenations, locale data,
 * Jackson building its serializers). It runs on a daemon thread beside the start-up and nothing waits for it: first
 * {@link EarlyWarmup}, which creates no logger and so starts before the command line is parsed, then, once the
 * command has set the log level, {@link ExchangeWarmup}. No socket, no file, no log line, no event outside: the
 * agent's own clients and files never see it. A failure is only logged at debug: the agent works the same without
 * the warm-up, only its first exchange is slower.
 */
public final class Warmup {

    private static Background process;

    private Warmup() {
    }

    /** Starts the process's warm-up: its logger-free part at once; first thing in main. Once per process. */
    public static synchronized void begin() {
        if (process == null) {
            process = new Background();
        }
    }

    /**
     * Lets the process's warm-up go on with the part that creates loggers, now that the log level is set; begins it
     * first if {@link #begin} was not called (the command line run without main). Only the first call counts.
     *
     * @param hook also hears the throwaway clients' events, to warm what the caller does with events
     */
    public static synchronized void proceed(LeaseListener hook) {
        begin();
        process.proceed(hook);
    }

    /** The whole warm-up on the calling thread, e.g. for a class-data archive's training run. */
    public static void run(LeaseListener hook) throws IOException {
        EarlyWarmup.run();
        ExchangeWarmup.run(hook);
    }

    /** One warm-up on its own daemon thread. */
    static final class Background {
        private final CompletableFuture<LeaseListener> hook = new CompletableFuture<>();
        private final Thread thread = new Thread(this::run, "warm-up");

        Background() {
            thread.setDaemon(true);
            thread.start();
        }

        void proceed(LeaseListener listener) {
            hook.complete(listener);
        }

        Thread thread() {
            return thread;
        }

        private void run() {
            try {
                EarlyWarmup.run();
                ExchangeWarmup.run(hook.join());
            } catch (RuntimeException | IOException e) {
                // Created only now: a logger must not exist before the log level is set.
                LoggerFactory.getLogger(Warmup.class).debug("warm-up failed; the first exchange runs cold: {}",
                        e.toString());
            }
        }
    }
}
