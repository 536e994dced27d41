package io.kubepd.testkit.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A forwarder to the API server that a test can cut and restore, so clients see their API server become unreachable
 * (connections reset, then refused) and come back on the same address while the server keeps its data. It listens on
 * a loopback TCP port, or on a Unix socket: file-system sockets cross network namespaces, so a process inside a lab
 * namespace reaches the API server through one ({@code socat} inside the namespace connects to it).
 */
public final class ApiProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final SocketAddress listenAddress;
  private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
  private volatile ServerSocketChannel listener;

  private ApiProxy(InetSocketAddress target, SocketAddress listenAddress) {
    this.target = target;
    this.listenAddress = listenAddress;
    resume();
  }

  /** Listens on a free loopback TCP port. */
  public static ApiProxy tcp(String targetHost, int targetPort) {
    SocketAddress free;
    try (ServerSocketChannel probe = ServerSocketChannel.open()) {
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      free = probe.getLocalAddress();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ApiProxy(new InetSocketAddress(targetHost, targetPort), free);
  }

  /** Listens on a Unix socket at {@code path}. */
  public static ApiProxy unix(Path path, String targetHost, int targetPort) {
    return new ApiProxy(new InetSocketAddress(targetHost, targetPort), UnixDomainSocketAddress.of(path));
  }

  /** The loopback port clients connect to (TCP proxies only). */
  public int port() {
    return ((InetSocketAddress) listenAddress).getPort();
  }

  /** Drops every connection and refuses new ones. */
  public synchronized void cut() {
    closeQuietly(listener);
    listener = null;
    connections.forEach(ApiProxy::closeQuietly);
    connections.clear();
    if (listenAddress instanceof UnixDomainSocketAddress unix) {
      try {
        Files.deleteIfExists(unix.getPath());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Accepts and forwards connections again, on the same address. */
  public synchronized void resume() {
    if (listener != null) {
      return;
    }
    try {
      ServerSocketChannel server = listenAddress instanceof UnixDomainSocketAddress
          ? ServerSocketChannel.open(StandardProtocolFamily.UNIX)
          : ServerSocketChannel.open();
      if (!(listenAddress instanceof UnixDomainSocketAddress)) {
        server.socket().setReuseAddress(true);
      }
      server.bind(listenAddress);
      listener = server;
      daemon("api-proxy-accept", () -> accept(server));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void accept(ServerSocketChannel server) {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        SocketChannel upstream = SocketChannel.open(target);
        connections.add(client);
        connections.add(upstream);
        daemon("api-proxy-pump", () -> pump(client, upstream));
        daemon("api-proxy-pump", () -> pump(upstream, client));
      } catch (IOException e) {
        // The listener was closed by cut(), or the API server refused: the client sees a reset.
      }
    }
  }

  private void pump(SocketChannel from, SocketChannel to) {
    ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
    try {
      while (from.read(buffer) >= 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          to.write(buffer);
        }
        buffer.clear();
      }
    } catch (IOException e) {
      // Connection closed on either side.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      connections.remove(from);
      connections.remove(to);
    }
  }

  private static void daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable != null) {
      try {
        closeable.close();
      } catch (Exception e) {
        // Already closed.
      }
    }
  }

  @Override
  public void close() {
    cut();
  }
}
