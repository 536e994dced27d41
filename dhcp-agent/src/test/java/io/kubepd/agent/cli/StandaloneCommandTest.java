package io.kubepd.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.agent.AgentMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StandaloneCommandTest {

    @TempDir
    Path stateDir;

    private record Run(int exit, String out, String err) {
    }

    /** Runs the command line; picocli's messages are captured from its writers. */
    private static Run run(String... args) {
        CommandLine cli = AgentMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Runs the command line and captures the log, which slf4j-simple writes to the current System.err. */
    private static Run runCapturingLog(String... args) {
        PrintStream systemErr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            int exit = AgentMain.commandLine().execute(args);
            return new Run(exit, "", log.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(systemErr);
        }
    }

    @Test
    void helpNamesEveryOption() {
        Run help = run("standalone", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--interface", "--prefix-length", "--state-dir", "--rapid-commit",
                "--no-initial-delay", "--once", "--timeout", "--on-change", "--release-on-exit", "KUBEPD_NEW_PREFIX");
        assertThat(help.out()).doesNotContain("--client-port");
    }

    @Test
    void missingInterfaceOptionIsAUsageError() {
        Run r = run("standalone");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--interface=IF'");
    }

    @Test
    void timeoutWithoutOnceIsAUsageError() {
        Run r = run("standalone", "-i", "eth0", "--timeout", "10s");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--timeout only applies with --once");
    }

    @Test
    void iaPdsOutsideOneToEightIsAUsageError() {
        for (String count : List.of("0", "9")) {
            Run r = run("standalone", "-i", "eth0", "--ia-pds", count);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("--ia-pds must be 1..8, not " + count);
        }
    }

    @Test
    void unknownInterfaceFailsWithTheFlagToSet() {
        Run r = runCapturingLog("standalone", "-i", "kpd-none0", "--state-dir", stateDir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("interface kpd-none0 not found; set --interface");
        // Nothing was generated for an interface that does not exist.
        assertThat(stateDir.resolve("identity.json")).doesNotExist();
    }

    @Test
    void noModeIsAUsageError() {
        Run r = run();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("missing mode: choose one of agent, standalone");
    }
}
