package io.kubepd.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The class-data archive the package phase trains next to the runnable jar is one the JVM accepts for that jar. */
class ClassDataArchiveIT {

    @Test
    void theJarStartsFromItsArchive() throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("kubepd.agentJar"));
        Path archive = jar.resolveSibling("kubepd-dhcp-agent.jsa");
        assertThat(archive).isRegularFile();

        // -Xshare:on turns an archive the JVM would silently skip (other JDK, other jar) into an error.
        Process java = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=info", "-jar", jar.toString(), "--version"))
                .redirectErrorStream(true)
                .start();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(java.exitValue()).as(out).isZero();
        assertThat(out).contains("Opened archive " + archive, "kubepd dhcp-agent");
    }
}
