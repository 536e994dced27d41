package io.kubepd.testkit.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Runs a DHCPv6 server binary as a child process in the router namespace: start, readiness, stop. */
abstract class ProcessDhcp6Server implements Dhcp6Server {
  static final int SERVER_PORT = 547;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  final NetnsLab lab;
  final Path dir;
  private Dhcp6ServerConfig config;
  private LabProcess process;

  ProcessDhcp6Server(NetnsLab lab, String kind, Dhcp6ServerConfig config) {
    this.lab = lab;
    this.dir = lab.newDir(kind);
    this.config = config;
  }

  /** Writes the server's config file for {@code config}. */
  abstract void writeConfig(Dhcp6ServerConfig config);

  abstract List<String> command();

  abstract Map<String, String> environment();

  /** Server-specific readiness beyond listening on port 547. */
  abstract boolean ready(LabProcess running);

  /** Server-specific preparation before each start. */
  abstract void beforeStart();

  @Override
  public synchronized Dhcp6ServerConfig config() {
    return config;
  }

  synchronized void setConfig(Dhcp6ServerConfig newConfig) {
    writeConfig(newConfig);
    config = newConfig;
  }

  @Override
  public synchronized void start() {
    if (isRunning()) {
      throw new IllegalStateException(implementation() + " is already running as pid " + process.pid());
    }
    writeConfig(config);
    beforeStart();
    LabProcess started = lab.router().spawn(dir.getFileName().toString(), environment(),
        command().toArray(String[]::new));
    process = started;
    try {
      awaitListening(() -> ready(started));
    } catch (LabException e) {
      started.stop();
      throw new LabException(e.getMessage() + "; log " + started.log() + ":\n" + started.logText(), e);
    }
  }

  /** Waits until the running server has its DHCPv6 socket bound and {@code ready} holds. */
  synchronized void awaitListening(BooleanSupplier ready) {
    LabProcess running = process;
    Poll.until(START_TIMEOUT, implementation() + " to listen on port " + SERVER_PORT + " in " + lab.router(), () -> {
      running.requireAlive();
      return lab.router().udpListening(SERVER_PORT, running.pid()) && ready.getAsBoolean();
    });
  }

  @Override
  public synchronized void stop() {
    if (process != null) {
      process.stop();
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  @Override
  public synchronized long pid() {
    if (!isRunning()) {
      throw new IllegalStateException(implementation() + " is not running");
    }
    return process.pid();
  }

  @Override
  public Path log() {
    return lab.dir().resolve(dir.getFileName() + ".log");
  }

  @Override
  public String toString() {
    return implementation() + " in " + dir;
  }
}
