package io.kubepd.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --log-level still applies although the start-up warm-up, which creates loggers, begins before picocli has parsed the
 * command line: slf4j-simple reads the level once, at the first logger, so main applies the option first.
 */
class LogLevelIT {

    @TempDir
    Path stateDir;

    @Test
    void debugLinesAppearWithLogLevelDebug() throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("kubepd.agentJar"));
        // lo has no link-local address: the transport waits for one and drops the Solicit with a debug line, so
        // nothing is sent; --once --timeout ends the run.
        Process agent = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--log-level", "debug", "standalone", "--interface", "lo",
                "--state-dir", stateDir.toString(), "--no-initial-delay", "--once", "--timeout", "2s"))
                .redirectErrorStream(true)
                .start();
        String out = new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(out).contains(" DEBUG UplinkTransport - lo: not sent, no usable link-local address yet");
        assertThat(agent.exitValue()).as(out).isEqualTo(1);
    }
}
