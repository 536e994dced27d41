package io.kubepd.agent.cli;

import io.kubepd.agent.AgentMain;
import io.kubepd.agent.codec.Dhcp6Message;
import io.kubepd.agent.codec.MessageType;
import io.kubepd.agent.identity.DuidKind;
import io.kubepd.agent.identity.HardwareAddress;
import io.kubepd.agent.identity.IdentityStore;
import io.kubepd.agent.lease.LeaseStore;
import io.kubepd.agent.lease.StateDirectory;
import io.kubepd.agent.transport.DatagramIo;
import io.kubepd.agent.transport.LoopbackRoundTrip;
import io.kubepd.agent.transport.UplinkProbe;
import io.kubepd.agent.warmup.Warmup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * {@code dhcp-agent warmup} (hidden): the training run of the agent's class-data archive, so that
 * {@code -XX:DumpLoadedClassList} lists the classes a real start loads. Runs the start-up warm-up to its end, then
 * what it cannot do without side effects: a state directory with identity and lease file (in a temporary directory,
 * removed again), a probe of {@code lo}, and one message sent to itself over the IPv6 loopback address with the native
 * transport. Nothing leaves the host.
 */
@Command(name = "warmup", hidden = true,
        description = "Training run for the class-data archive: runs the start-up warm-up and exits.")
public final class WarmupCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Logger log = LoggerFactory.getLogger(WarmupCommand.class);
        long started = System.nanoTime();
        Warmup.run(AgentMain.class, StandaloneRun.warmUpListener());
        stateFiles();
        new UplinkProbe().probe("lo");
        DatagramIo io = DatagramIo.detect();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io.ioHandlerFactory());
        try {
            LoopbackRoundTrip.run(Dhcp6Message.of(MessageType.SOLICIT, 1), io, group);
        } catch (Exception e) {
            // E.g. no IPv6 where the archive is built: those classes then load from the jar.
            log.warn("no loopback round trip with {}: {}", io.name(), e.toString());
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
        log.info("warm-up done in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return 0;
    }

    private static void stateFiles() throws IOException {
        Path dir = Files.createTempDirectory("kubepd-warmup-");
        try (StateDirectory state = StateDirectory.open(dir)) {
            IdentityStore identity = IdentityStore.loadOrCreate(state, Clock.systemUTC(), DuidKind.LL,
                    Optional.of(HardwareAddress.parse(1, "02:00:00:00:00:01")), UUID::randomUUID);
            identity.iaid("lo");
            new LeaseStore(state, "lo", Clock.systemUTC()).load();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
