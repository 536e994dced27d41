package io.kubepd.agent.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.agent.AgentMain;
import io.kubepd.agent.cli.AgentCommand;
import io.kubepd.agent.cli.StandaloneCommand;
import io.kubepd.agent.client.LeaseEvent;
import io.kubepd.agent.client.LeaseEvent.Type;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class WarmupTest {

    @Test
    void walksEachFirstExchangeToABinding() throws IOException {
        List<LeaseEvent> events = new ArrayList<>();

        Warmup.run(AgentMain.class, events::add);

        // 4-message with Preference 255, 4-message after the first RT, Rapid Commit, then a restart's Rebind.
        assertThat(events).extracting(LeaseEvent::type)
                .containsExactly(Type.BOUND, Type.BOUND, Type.BOUND, Type.RESTORED, Type.REBOUND);
        assertThat(events).allSatisfy(e -> assertThat(e.lease().cidr()).isEqualTo("2001:db8:ffff::/56"));
    }

    @Test
    void usesNoSocketAndLogsNothing() throws IOException {
        long socketsBefore = openSockets();
        List<Long> socketsDuring = new ArrayList<>();
        PrintStream systemErr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // slf4j-simple writes to whatever System.err is when a line is logged.
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            // Each event comes right after a Reply went through the pipeline: any socket it used would be open now.
            Warmup.run(AgentMain.class, event -> socketsDuring.add(openSockets()));
        } finally {
            System.setErr(systemErr);
        }

        assertThat(socketsDuring).hasSize(5).allSatisfy(count -> assertThat(count).isEqualTo(socketsBefore));
        assertThat(log.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void inTheBackgroundItEndsByItself() throws InterruptedException {
        List<LeaseEvent> events = new ArrayList<>();

        Warmup.Background background = new Warmup.Background(AgentMain.class);
        background.proceed(events::add);
        background.exchanges().join();
        background.early().join();

        assertThat(background.exchanges().isDaemon()).isTrue();
        assertThat(background.early().isDaemon()).isTrue();
        assertThat(events).hasSize(5);
    }

    @Test
    void readsTheAnnotationsOfTheCommandLineAndEveryModeItNames() {
        // The modes are named in AgentMain's @Command; String.class (an option's type) is not followed.
        assertThat(EarlyWarmup.annotations(AgentMain.class))
                .contains(AgentMain.class, StandaloneCommand.class, AgentCommand.class)
                .allSatisfy(type -> assertThat(type.getClassLoader()).isSameAs(AgentMain.class.getClassLoader()));
    }

    private static long openSockets() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // the directory stream's own fd, closed by now
                }
            }).count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/fd", e);
        }
    }
}
