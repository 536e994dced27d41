package io.kubepd.testkit.kube;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on loopback that a test can cut and restore, so a client sees its API server become unreachable
 * (connections reset, then refused) and come back on the same address, while the server itself keeps its data.
 */
public final class TcpProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final int port;
  private volatile ServerSocket listener;

  public TcpProxy(String targetHost, int targetPort) {
    this.target = new InetSocketAddress(targetHost, targetPort);
    try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      this.port = probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    resume();
  }

  /** The loopback port clients connect to. */
  public int port() {
    return port;
  }

  /** Drops every connection and refuses new ones. */
  public synchronized void cut() {
    closeQuietly(listener);
    listener = null;
    sockets.forEach(TcpProxy::closeQuietly);
    sockets.clear();
  }

  /** Accepts and forwards connections again, on the same port. */
  public synchronized void resume() {
    if (listener != null) {
      return;
    }
    try {
      ServerSocket server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      listener = server;
      daemon("tcp-proxy-accept-" + port, () -> accept(server));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void accept(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(target.getAddress(), target.getPort());
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        // The listener was closed by cut(), or the target refused: the client sees a reset.
      }
    }
  }

  private void pump(Socket from, Socket to) {
    daemon("tcp-proxy-pump", () -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException e) {
        // Connection closed on either side.
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        sockets.remove(from);
        sockets.remove(to);
      }
    });
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
