package io.kubepd.agent.transport;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Names the processes that hold a UDP port, to turn "address already in use" into "dhclient (pid 812) holds port 546".
 *
 * <p>Reads {@code /proc/net/udp6} and {@code /proc/net/udp} (socket inodes bound to the port, in this network
 * namespace) and then {@code /proc/PID/fd} (which process owns such an inode). Processes whose fds cannot be read are
 * skipped, so an unprivileged caller just learns less.
 */
public final class UdpPortOwners {

    private final Path proc;

    /** Looks at the running system. */
    public UdpPortOwners() {
        this(Path.of("/proc"));
    }

    /** Looks at a copy of {@code /proc}, for tests. */
    public UdpPortOwners(Path proc) {
        this.proc = proc;
    }

    /** One process holding the port. */
    public record Owner(long pid, String command) {
        @Override
        public String toString() {
            return command + " (pid " + pid + ")";
        }
    }

    /** The processes holding UDP {@code port}, in pid order; empty when none can be named. */
    public List<Owner> owners(int port) {
        Set<String> inodes = new HashSet<>();
        inodes.addAll(socketInodes(proc.resolve("net/udp6"), port));
        inodes.addAll(socketInodes(proc.resolve("net/udp"), port));
        List<Owner> owners = new ArrayList<>();
        if (inodes.isEmpty()) {
            return owners;
        }
        DirectoryStream.Filter<Path> numeric = p -> p.getFileName().toString().matches("\\d+");
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, numeric)) {
            for (Path pidDir : pids) {
                if (holdsAny(pidDir.resolve("fd"), inodes)) {
                    owners.add(new Owner(Long.parseLong(pidDir.getFileName().toString()), command(pidDir)));
                }
            }
        } catch (IOException e) {
            return owners;
        }
        owners.sort((a, b) -> Long.compare(a.pid(), b.pid()));
        return owners;
    }

    private static Set<String> socketInodes(Path table, int port) {
        Set<String> inodes = new HashSet<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(table);
        } catch (IOException e) {
            return inodes;
        }
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            // sl local_address:port rem_address:port st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
            String[] f = line.trim().split("\\s+");
            if (f.length < 10) {
                continue;
            }
            int colon = f[1].lastIndexOf(':');
            if (colon > 0 && Integer.parseInt(f[1].substring(colon + 1), 16) == port && !f[9].equals("0")) {
                inodes.add(f[9]);
            }
        }
        return inodes;
    }

    private static boolean holdsAny(Path fdDir, Set<String> inodes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException | UnsupportedOperationException e) {
                    continue;
                }
                if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static String command(Path pidDir) {
        try {
            return Files.readString(pidDir.resolve("comm")).strip();
        } catch (NoSuchFileException e) {
            return "exited process";
        } catch (IOException e) {
            return "unknown process";
        }
    }
}
