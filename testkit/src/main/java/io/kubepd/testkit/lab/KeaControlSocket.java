package io.kubepd.testkit.lab;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/** Kea's unix control socket: one JSON command per connection, Kea answers and closes. */
final class KeaControlSocket {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Path path;

  KeaControlSocket(Path path) {
    this.path = path;
  }

  Path path() {
    return path;
  }

  JsonNode send(JsonNode request) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = Selector.open()) {
      channel.connect(UnixDomainSocketAddress.of(path));
      ByteBuffer out = ByteBuffer.wrap(Netns.JSON.writeValueAsBytes(request));
      while (out.hasRemaining()) {
        channel.write(out);
      }
      // Non-blocking reads with a selector so a hung server cannot hang the test.
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ);
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      ByteBuffer in = ByteBuffer.allocate(64 * 1024);
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new LabException("Kea did not answer " + request + " on " + path + " within " + TIMEOUT.toMillis()
              + " ms; got so far: " + response);
        }
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
        int read;
        while ((read = channel.read(in)) > 0) {
          response.write(in.array(), 0, in.position());
          in.clear();
        }
        if (read < 0) {
          return Netns.JSON.readTree(response.toByteArray());
        }
      }
    } catch (IOException e) {
      throw new LabException("cannot talk to Kea on " + path + ": " + e.getMessage(), e);
    }
  }
}
