package io.kubepd.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentMainTest {

    private static final String PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(PROPERTY);
        System.clearProperty(PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, saved);
        }
    }

    @Test
    void presetLogLevelTakesTheOptionInEitherForm() {
        AgentMain.presetLogLevel(new String[] {"standalone", "--log-level", "debug", "-i", "eth0"});
        assertThat(System.getProperty(PROPERTY)).isEqualTo("debug");

        AgentMain.presetLogLevel(new String[] {"--log-level=trace", "standalone", "-i", "eth0"});
        assertThat(System.getProperty(PROPERTY)).isEqualTo("trace");
    }

    @Test
    void presetLogLevelLeavesTheLevelAloneWithoutTheOption() {
        AgentMain.presetLogLevel(new String[] {"standalone", "-i", "eth0", "--", "--log-level", "debug"});
        AgentMain.presetLogLevel(new String[] {"standalone", "--log-level"});

        assertThat(System.getProperty(PROPERTY)).isNull();
    }
}
