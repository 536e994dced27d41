package io.kubepd.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CniRangesWriterTest {
  private static final HostLocalRanges CURRENT = HostLocalRanges.of(List.of("2001:db8:0:100::/64"));
  private static final HostLocalRanges RENUMBERED = HostLocalRanges.of(List.of("2001:db8:0:200::/64"));
  private static final String TEMPLATE = """
      {"cniVersion": "1.0.0", "name": "kubepd", "plugins": [
        {"type": "bridge", "bridge": "cni0", "isGateway": true,
         "ipam": {"type": "host-local", "routes": [{"dst": "::/0"}]}}]}
      """;

  @TempDir
  Path dir;

  @Test
  void writesTheFragmentReadableByAllAndLeavesNoTemporaryFile() throws IOException {
    Path target = dir.resolve("host-local-ranges.json");

    assertThat(CniRangesWriter.fragment(target).write(CURRENT)).isTrue();

    assertThat(new ObjectMapper().readTree(target.toFile()).toString())
        .isEqualTo("{\"ranges\":[[{\"subnet\":\"2001:db8:0:100::/64\"}]]}");
    assertThat(Files.readString(target)).endsWith("}\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r--r--");
    assertThat(filesIn(dir)).containsExactly("host-local-ranges.json");
  }

  @Test
  void writesTheConflistFromTheTemplate() throws IOException {
    Path template = Files.writeString(dir.resolve("template.conflist"), TEMPLATE);
    Path target = Files.createDirectory(dir.resolve("net.d")).resolve("10-kubepd.conflist");

    CniRangesWriter.conflist(target, template).write(CURRENT);

    assertThat(new ObjectMapper().readTree(target.toFile()).at("/plugins/0/ipam/ranges").toString())
        .isEqualTo("[[{\"subnet\":\"2001:db8:0:100::/64\"}]]");
    assertThat(filesIn(target.getParent())).containsExactly("10-kubepd.conflist");
  }

  @Test
  void leavesTheFileAloneWhenNothingChangedAndReplacesItWhenRenumbered() throws IOException {
    Path target = dir.resolve("ranges.json");
    CniRangesWriter writer = CniRangesWriter.fragment(target);
    writer.write(CURRENT);
    FileTime marked = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    Files.setLastModifiedTime(target, marked);

    assertThat(writer.write(CURRENT)).isFalse();
    assertThat(Files.getLastModifiedTime(target)).isEqualTo(marked);

    assertThat(writer.write(RENUMBERED)).isTrue();
    assertThat(Files.readString(target)).contains("2001:db8:0:200::/64").doesNotContain("2001:db8:0:100::/64");
  }

  @Test
  void deletesTheFileWhenThereIsNoPodCidr() throws IOException {
    Path target = dir.resolve("ranges.json");
    CniRangesWriter writer = CniRangesWriter.fragment(target);
    writer.write(CURRENT);

    assertThat(writer.write(new HostLocalRanges(List.of()))).isTrue();
    assertThat(target).doesNotExist();
    assertThat(writer.write(new HostLocalRanges(List.of()))).isFalse();
  }

  @Test
  void refusesATemplateItCannotUse() throws IOException {
    Path noIpam = Files.writeString(dir.resolve("no-ipam.conflist"),
        "{\"cniVersion\": \"1.0.0\", \"name\": \"x\", \"plugins\": [{\"type\": \"ptp\"}]}");
    Path broken = Files.writeString(dir.resolve("broken.conflist"), "{\"plugins\": [");

    assertThatIllegalArgumentException().isThrownBy(() -> CniRangesWriter.conflist(dir.resolve("out"), noIpam))
        .withMessageStartingWith(noIpam + ": the CNI config template has no");
    assertThatIllegalArgumentException().isThrownBy(() -> CniRangesWriter.conflist(dir.resolve("out"), broken))
        .withMessageStartingWith("cannot read the CNI config template " + broken);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> CniRangesWriter.conflist(dir.resolve("out"), dir.resolve("missing.conflist")))
        .withMessageContaining("missing.conflist");
  }

  @Test
  void saysWhichFileItCannotWrite() {
    CniRangesWriter writer = CniRangesWriter.fragment(dir.resolve("no-such-dir").resolve("ranges.json"));

    assertThatThrownBy(() -> writer.write(CURRENT)).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("no-such-dir/ranges.json")
        .hasMessageContaining("must exist and be writable");
  }

  private static List<String> filesIn(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
