package io.kubepd.agent.kube;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The uplinks the node's policy asked for last, kept in the state directory, so an agent that restarts while the
 * API server is unreachable runs (and rebinds) the same uplinks instead of none.
 */
public final class UplinkMemory {
    private static final Logger log = LoggerFactory.getLogger(UplinkMemory.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public UplinkMemory(Path stateDir) {
        this.file = stateDir.resolve("uplinks.json");
    }

    public Optional<Map<String, NodeAgent.UplinkRequest>> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(),
                    new TypeReference<LinkedHashMap<String, NodeAgent.UplinkRequest>>() {}));
        } catch (IOException e) {
            log.warn("ignoring unreadable {} ({}); waiting for the DelegationPolicy instead", file, e.getMessage());
            return Optional.empty();
        }
    }

    public void save(Map<String, NodeAgent.UplinkRequest> uplinks) {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            JSON.writeValue(temp.toFile(), uplinks);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("cannot save the uplinks to {}: {}", file, e.getMessage());
        }
    }
}
