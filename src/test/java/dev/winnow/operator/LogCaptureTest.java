package dev.winnow.operator;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The capture the bad-manifest tests rely on sees what JOSDK logs through SLF4J, so "never Exhausted retries" can fail. */
class LogCaptureTest {
    @Test
    void seesJosdksErrorsThroughSlf4j() {
        try (LogCapture logged = LogCapture.josdk()) {
            LoggerFactory.getLogger("io.javaoperatorsdk.operator.processing.event.EventProcessor")
                    .error("Exhausted retries for scope {}.", "ml/fashion");
            LoggerFactory.getLogger("io.javaoperatorsdk.operator").debug("Exhausted retries, below the level");
            assertEquals(1, logged.containing("Exhausted retries").size());
        }
    }
}
