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
    private static final String LOG_LEVEL = "--log-level";
    private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Sets the log level where the command line runs without {@link #main}, which sets it before anything else; either
     * way before any logger exists: slf4j-simple reads its configuration once, at the first logger.
     */
    @Option(names = LOG_LEVEL, scope = ScopeType.INHERIT, paramLabel = "LEVEL",
            description = "Log level on stderr: error, warn, info, debug, trace (default: info).")
    void logLevel(String level) {
        System.setProperty(LOG_LEVEL_PROPERTY, level);
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
        presetLogLevel(args);
        // On the second core while picocli reads the command line.
        Warmup.begin(AgentMain.class);
        System.exit(commandLine().execute(args));
    }

    /**
     * Applies {@code --log-level} before picocli has read the command line (which it still parses and checks as
     * usual): the warm-up that begins meanwhile creates loggers, and slf4j-simple reads the level once, at the first.
     */
    static void presetLogLevel(String[] args) {
        for (int i = 0; i < args.length && !args[i].equals("--"); i++) {
            if (args[i].equals(LOG_LEVEL) && i + 1 < args.length) {
                System.setProperty(LOG_LEVEL_PROPERTY, args[i + 1]);
            } else if (args[i].startsWith(LOG_LEVEL + "=")) {
                System.setProperty(LOG_LEVEL_PROPERTY, args[i].substring(LOG_LEVEL.length() + 1));
            }
        }
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
