package io.kubepd.agent.warmup;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The part of the warm-up for what main needs soon after the command line is read: the JDK's date formatting, whose
 * first use loads the locale and time-zone data (~100 ms cold) and which the first log line needs, and Jackson's
 * databind, which the first state file and event line need. It creates no logger.
 */
final class EarlyWarmup {

    private static final String LOG_CONFIG = "/simplelogger.properties";
    private static final String LOG_TIME_FORMAT = "org.slf4j.simpleLogger.dateTimeFormat";

    private EarlyWarmup() {
    }

    static void run() throws IOException {
        Properties logConfig = new Properties();
        try (InputStream in = EarlyWarmup.class.getResourceAsStream(LOG_CONFIG)) {
            if (in != null) {
                logConfig.load(in);
            }
        }
        String timeFormat = logConfig.getProperty(LOG_TIME_FORMAT);
        if (timeFormat != null) {
            new SimpleDateFormat(timeFormat).format(new Date());
        }
        ObjectMapper mapper = new ObjectMapper();
        Sample sample = new Sample(1, "warm-up", List.of(Map.of("iaid", 1L)));
        mapper.readValue(mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(sample), Sample.class);
        mapper.writeValueAsString(mapper.createObjectNode().put("event", "bound").putNull("oldPrefix"));
    }

    /** A document shaped like the state files: an annotated record with a list of maps. */
    private record Sample(
            @JsonProperty("version") int version,
            @JsonProperty("interface") String interfaceName,
            @JsonProperty("leases") List<Map<String, Long>> leases) {
    }
}
