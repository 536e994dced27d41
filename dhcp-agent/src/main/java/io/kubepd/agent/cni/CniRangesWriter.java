package io.kubepd.agent.cni;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the node's pod CIDRs for the host-local IPAM plugin into one file, atomically: a temporary file in the same
 * directory, flushed to disk, renamed over the target. A reader (the container runtime) sees the old file or the new
 * one, never a part. The temporary name starts with a dot and ends in {@code .tmp}, so a runtime watching
 * {@code /etc/cni/net.d} (which loads {@code *.conf}, {@code *.conflist}, {@code *.json}) never picks it up.
 *
 * <p>Two shapes. CNI has no include mechanism, so for pods to use the ranges directly the agent writes the whole
 * network config:
 * <ul>
 *   <li>{@link #conflist}: a template conflist (say bridge + host-local + portmap, from a ConfigMap) with the ranges
 *       filled into its host-local {@code ipam}, written as e.g. {@code /etc/cni/net.d/10-kubepd.conflist}:
 *       <pre>{@code
 * {"cniVersion": "1.0.0", "name": "kubepd", "plugins": [
 *   {"type": "bridge", "bridge": "cni0", "isGateway": true,
 *    "ipam": {"type": "host-local", "routes": [{"dst": "::/0"}]}},
 *   {"type": "portmap", "capabilities": {"portMappings": true}}]}
 *       }</pre>
 *       gains {@code "ranges": [[{"subnet": "2001:db8:0:100::/64"}]]} in its {@code ipam}.</li>
 *   <li>{@link #fragment}: only {@code {"ranges": [[{"subnet": "2001:db8:0:100::/64"}]]}}, for a tool that assembles
 *       the config itself, e.g. {@code jq --slurpfile r ranges.json '.plugins[0].ipam.ranges = $r[0].ranges'}. Keep it
 *       outside the runtime's config directory, which would try to load a {@code .json} there (the chart writes it to
 *       {@code /var/lib/kubepd/cni/ranges.json}).</li>
 * </ul>
 * No ranges deletes the file: with no network config the runtime reports the node's network not ready instead of
 * starting pods with addresses of a prefix the node no longer holds. When the agent asks for that, rather than
 * leaving the file as it is, is {@code kube.CniPodCidrs}'s decision.
 */
public final class CniRangesWriter {
  private static final Logger LOG = LoggerFactory.getLogger(CniRangesWriter.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path target;
  private final JsonNode template;

  private CniRangesWriter(Path target, JsonNode template) {
    this.target = Objects.requireNonNull(target, "target").toAbsolutePath();
    this.template = template;
  }

  /** Writes {@link HostLocalRanges#fragment()} to {@code target}. */
  public static CniRangesWriter fragment(Path target) {
    return new CniRangesWriter(target, null);
  }

  /**
   * Writes {@code template} with the ranges filled in ({@link HostLocalRanges#applyTo}) to {@code target}.
   *
   * @throws IllegalArgumentException when the template cannot be read or has no host-local IPAM section
   */
  public static CniRangesWriter conflist(Path target, Path template) {
    JsonNode parsed;
    try {
      parsed = JSON.readTree(template.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the CNI config template " + template + ": " + e.getMessage(), e);
    }
    if (parsed == null || !parsed.isObject()) {
      throw new IllegalArgumentException("the CNI config template " + template + " is not a JSON object");
    }
    try {
      new HostLocalRanges(List.of()).applyTo(parsed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(template + ": " + e.getMessage(), e);
    }
    return new CniRangesWriter(target, parsed);
  }

  public Path target() {
    return target;
  }

  /**
   * Makes the file hold {@code ranges}; deletes it when {@code ranges} is empty.
   *
   * @return true when the file changed, false when it already held exactly this
   * @throws UncheckedIOException when the directory is not writable
   */
  public boolean write(HostLocalRanges ranges) {
    try {
      if (ranges.isEmpty()) {
        boolean deleted = Files.deleteIfExists(target);
        if (deleted) {
          LOG.info("no pod CIDR: deleted {}", target);
        }
        return deleted;
      }
      byte[] content = render(ranges);
      if (Arrays.equals(content, current())) {
        return false;
      }
      replaceAtomically(content);
      LOG.info("wrote pod CIDRs {} to {}", ranges.subnets(), target);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the pod CIDR ranges to " + target + ": " + e.getMessage()
          + "; the directory must exist and be writable by the agent", e);
    }
  }

  private byte[] render(HostLocalRanges ranges) throws JsonProcessingException {
    JsonNode config = template == null ? ranges.fragment() : ranges.applyTo(template);
    return (JSON.writeValueAsString(config) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private byte[] current() throws IOException {
    try {
      return Files.readAllBytes(target);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private void replaceAtomically(byte[] content) throws IOException {
    Path dir = target.getParent();
    Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        // On disk before the rename: after a crash the target is the old file or the whole new one.
        channel.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot rename atomically within " + dir + ": " + e.getMessage(), e);
      }
      try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
        directory.force(true);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public String toString() {
    return (template == null ? "host-local ranges file " : "CNI config ") + target;
  }
}
