package io.kubepd.agent.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The production clock and the executor-backed scheduler, in real (short) time. */
class SystemTimeTest {
    @Test
    void systemClockIsMonotonicAndNearWallTime() {
        Clock clock = Clock.system();
        long first = clock.nanoTime();
        assertThat(clock.nanoTime()).isGreaterThanOrEqualTo(first);
        assertThat(Duration.between(clock.now(), Instant.now()).abs()).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void executorSchedulerRunsTasksAndHonoursCancel() throws Exception {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            Scheduler scheduler = Scheduler.on(executor);
            // Hold the executor's only thread so that nothing can run before cancel() is called.
            CountDownLatch gate = new CountDownLatch(1);
            executor.execute(() -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            AtomicBoolean cancelledRan = new AtomicBoolean();
            scheduler.schedule("cancelled", Duration.ZERO, () -> cancelledRan.set(true)).cancel();
            CompletableFuture<String> ran = new CompletableFuture<>();
            scheduler.schedule("marker", Duration.ofMillis(1), () -> ran.complete("marker"));
            gate.countDown();

            // One thread runs tasks in due order: had it not been cancelled, it would have run first.
            assertThat(ran.get(5, TimeUnit.SECONDS)).isEqualTo("marker");
            assertThat(cancelledRan).isFalse();
        } finally {
            executor.shutdownNow();
        }
    }
}
