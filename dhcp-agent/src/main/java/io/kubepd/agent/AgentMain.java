package io.kubepd.agent;

import io.kubepd.agent.cli.AgentCommand;
import io.kubepd.agent.cli.StandaloneCommand;
import io.kubepd.agent.cli.WarmupCommand;
import io.kubepd.agent.warmup.Warmup;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Entry point of the node agent: {@code dhcp-agent <mode> [options]}.
 *
 * <p>Each mode is a subcommand: {@code standalone} runs the DHCPv6-PD client and prints lease events; the Kubernetes
 * mode ({@code agent}) is added next to it in {@link #commandLine()}.
 */
@Command(
        name = "dhcp-agent",
        mixinStandardHelpOptions = true,
        versionProvider = AgentMain.Version.class,
        subcommands = {
            AgentCommand.class, StandaloneCommand.class, WarmupCommand.class, CommandLine.HelpCommand.class
        },
        description = "kubepd node agent: a DHCPv6 prefix delegation client (RFC 8415).",
        footer = {"", "Run 'dhcp-agent help <mode>' for the options of one mode.", ""})
public final class AgentMain implements Runnable {

    private static final String NETTY_JFR = "io.netty.jfr.enabled";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Sets the log level before any logger exists: slf4j-simple reads its configuration once, at the first logger. */
    @Option(names = "--log-level", scope = ScopeType.INHERIT, paramLabel = "LEVEL",
            description = "Log level on stderr: error, warn, info, debug, trace (default: info).")
    void logLevel(String level) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing mode: choose one of "
                + String.join(", ", spec.subcommands().entrySet().stream()
                        .filter(mode -> !mode.getValue().getCommandSpec().usageMessage().hidden())
                        .map(Map.Entry::getKey).toList()));
    }

    /** The command line of all modes, ready to execute. */
    public static CommandLine commandLine() {
        return new CommandLine(new AgentMain()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    public static void main(String[] args) {
        // netty's buffer allocator fires JFR events, and merely asking whether they are enabled loads and initializes
        // the JFR event machinery: about 100 classes and 150 ms of start-up. -Dio.netty.jfr.enabled=true keeps them.
        if (System.getProperty(NETTY_JFR) == null) {
            System.setProperty(NETTY_JFR, "false");
        }
        // On the second core while picocli reads the command line.
        Warmup.begin();
        System.exit(commandLine().execute(args));
    }

    /** Reports the version Maven wrote into the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = AgentMain.class.getPackage().getImplementationVersion();
            return new String[] {"kubepd dhcp-agent " + (version != null ? version : "(development build)")};
        }
    }
}
