package io.kubepd.agent.warmup;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.text.SimpleDateFormat;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The part of the warm-up for what main needs first: the annotations picocli reads, then, for soon after the
 * command line is read, the JDK's date formatting, whose
 * first use loads the locale and time-zone data (~100 ms cold) and which the first log line needs, and Jackson's
 * databind, which the first state file and event line need. It creates no logger.
 */
final class EarlyWarmup {

    private static final String LOG_CONFIG = "/simplelogger.properties";
    private static final String LOG_TIME_FORMAT = "org.slf4j.simpleLogger.dateTimeFormat";

    private EarlyWarmup() {
    }

    /** @param commandLine whose annotations picocli reads first, or null */
    static void run(Class<?> commandLine) throws IOException {
        if (commandLine != null) {
            annotations(commandLine);
        }
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

    /**
     * Parses the annotations of {@code root}, of its fields and methods, and of the application classes they name
     * (subcommands, converters), as picocli does while main waits for it: the first instance of each annotation type
     * costs a generated proxy class, and each member's annotations are parsed once and cached by the JDK. No class is
     * initialized. Returns the classes it read.
     */
    static Set<Class<?>> annotations(Class<?> root) {
        Deque<Class<?>> pending = new ArrayDeque<>(List.of(root));
        Set<Class<?>> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            Class<?> type = pending.pop();
            if (type.getClassLoader() != root.getClassLoader() || !seen.add(type)) {
                continue;
            }
            List<Annotation> found = new ArrayList<>(List.of(type.getDeclaredAnnotations()));
            for (Field field : type.getDeclaredFields()) {
                found.addAll(List.of(field.getDeclaredAnnotations()));
            }
            for (Method method : type.getDeclaredMethods()) {
                found.addAll(List.of(method.getDeclaredAnnotations()));
            }
            for (Annotation annotation : found) {
                for (Method element : annotation.annotationType().getDeclaredMethods()) {
                    Object value = value(element, annotation);
                    if (value instanceof Class<?> named) {
                        pending.push(named);
                    } else if (value instanceof Class<?>[] names) {
                        pending.addAll(List.of(names));
                    }
                }
            }
        }
        return seen;
    }

    private static Object value(Method element, Annotation annotation) {
        try {
            return element.invoke(annotation);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /** A document shaped like the state files: an annotated record with a list of maps. */
    private record Sample(
            @JsonProperty("version") int version,
            @JsonProperty("interface") String interfaceName,
            @JsonProperty("leases") List<Map<String, Long>> leases) {
    }
}
