package io.kubepd.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * An OCI image archive (a tarred image layout) unpacked into a directory with tar and read with Jackson: the index,
 * the one image's manifest and config, and its blobs.
 */
public final class OciArchive {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path layout;
  private final JsonNode index;
  private final JsonNode manifest;
  private final JsonNode config;

  private OciArchive(Path layout) {
    this.layout = layout;
    this.index = json(layout.resolve("index.json"));
    this.manifest = json(blob(index.path("manifests").path(0).path("digest").asText()));
    this.config = json(blob(manifest.path("config").path("digest").asText()));
  }

  /** Unpacks {@code archive} into {@code dir} (which must be empty) and reads it. */
  public static OciArchive unpack(Path archive, Path dir) {
    Commands.run(List.of("tar", "-xf", archive.toString(), "-C", dir.toString())).orThrow();
    return new OciArchive(dir);
  }

  public JsonNode index() {
    return index;
  }

  public JsonNode manifest() {
    return manifest;
  }

  public JsonNode config() {
    return config;
  }

  /** The full image name, e.g. ghcr.io/kubepd/operator:0.1.0 (what containerd and docker load name it). */
  public String imageName() {
    return index.path("manifests").path(0).path("annotations").path("io.containerd.image.name").asText();
  }

  /** The layers' digests, bottom first. */
  public List<String> layerDigests() {
    List<String> digests = new ArrayList<>();
    manifest.path("layers").forEach(layer -> digests.add(layer.path("digest").asText()));
    return digests;
  }

  /** The file of a blob in the layout. */
  public Path blob(String digest) {
    return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
  }

  /**
   * Everything about the blobs that disagrees with the descriptors pointing at them: digests, sizes, and the
   * config's diff_ids (the digests of the uncompressed layers); empty when the archive is consistent.
   */
  public List<String> blobProblems() {
    List<String> problems = new ArrayList<>();
    List<JsonNode> descriptors = new ArrayList<>();
    descriptors.add(index.path("manifests").path(0));
    descriptors.add(manifest.path("config"));
    manifest.path("layers").forEach(descriptors::add);
    for (JsonNode descriptor : descriptors) {
      String digest = descriptor.path("digest").asText();
      Path file = blob(digest);
      if (!Files.isRegularFile(file)) {
        problems.add(digest + " is missing");
        continue;
      }
      String actual = sha256(file, false);
      if (!digest.equals(actual)) {
        problems.add(digest + " has digest " + actual);
      }
      long size = size(file);
      if (descriptor.path("size").asLong() != size) {
        problems.add(digest + " has " + size + " bytes, descriptor says " + descriptor.path("size").asLong());
      }
    }
    List<String> layers = layerDigests();
    JsonNode diffIds = config.path("rootfs").path("diff_ids");
    if (diffIds.size() != layers.size()) {
      problems.add(layers.size() + " layers but " + diffIds.size() + " diff_ids");
    }
    for (int i = 0; i < Math.min(layers.size(), diffIds.size()); i++) {
      String uncompressed = sha256(blob(layers.get(i)), true);
      if (!diffIds.path(i).asText().equals(uncompressed)) {
        problems.add("layer " + i + " uncompresses to " + uncompressed + ", diff_id is " + diffIds.path(i).asText());
      }
    }
    return problems;
  }

  private static String sha256(Path file, boolean gunzip) {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = gunzip ? new GZIPInputStream(raw) : raw;
        DigestInputStream digest = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
      digest.transferTo(OutputStream.nullOutputStream());
      return "sha256:" + HexFormat.of().formatHex(digest.getMessageDigest().digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
