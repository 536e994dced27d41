package io.kubepd.agent.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fuzz property without Jazzer, so every {@code mvn test} exercises it broadly: random
 * mutations of the seed corpus either decode and re-encode byte for byte, or raise
 * {@link MalformedMessageException}; nothing else may escape.
 */
class Dhcp6CodecMutationTest {
    private static final int MUTATIONS_PER_SEED = 5_000;

    private static List<byte[]> seeds() throws IOException, URISyntaxException {
        URL dir = Dhcp6CodecMutationTest.class.getResource("Dhcp6CodecFuzzTestInputs/decodeRejectsOrRoundTrips");
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.sorted().map(file -> {
                try (InputStream in = Files.newInputStream(file)) {
                    return in.readAllBytes();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).toList();
        }
    }

    @Test
    void mutatedSeedsAreRejectedOrRoundTrip() throws Exception {
        Random random = new Random(8415);
        int decoded = 0;
        int rejected = 0;
        for (byte[] seed : seeds()) {
            for (int i = 0; i < MUTATIONS_PER_SEED; i++) {
                byte[] input = mutate(seed, random);
                Dhcp6Message message;
                try {
                    message = Dhcp6Codec.decode(input);
                } catch (MalformedMessageException expected) {
                    rejected++;
                    continue;
                }
                decoded++;
                assertThat(Dhcp6Codec.encode(message)).as("re-encoding of %s", Arrays.toString(input)).isEqualTo(input);
            }
        }
        // Both outcomes must really occur, or the mutations test nothing.
        assertThat(decoded).isGreaterThan(1000);
        assertThat(rejected).isGreaterThan(1000);
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] bytes = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && bytes.length > 0; e++) {
            switch (random.nextInt(4)) {
                case 0 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                case 2 -> bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                default -> {
                    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(8));
                    for (int j = bytes.length; j < longer.length; j++) {
                        longer[j] = (byte) random.nextInt(256);
                    }
                    bytes = longer;
                }
            }
        }
        return bytes;
    }
}
