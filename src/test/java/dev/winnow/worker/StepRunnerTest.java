package dev.winnow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.winnow.contract.StepName;
import dev.winnow.storage.ArtifactStore;

class StepRunnerTest {

    @TempDir
    Path dir;

    private StepResult run(Step step, Map<String, String> env, ByteArrayOutputStream err) {
        return StepRunner.run(step, StepEnvironment.of(env), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err));
    }

    private static Step step(String description, StepBody body) {
        return new Step() {
            @Override
            public StepName name() {
                return StepName.INDEX;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public ObjectNode run(StepEnvironment env, ArtifactStore store) throws Exception {
                return body.run(env);
            }
        };
    }

    interface StepBody {
        ObjectNode run(StepEnvironment env) throws Exception;
    }

    @Test
    void successWritesTheSummary() throws IOException {
        Path log = dir.resolve("termination-log");
        StepResult result = run(step("ok", env -> StepResult.object().put("count", 3)),
                Map.of("WINNOW_TERMINATION_LOG", log.toString()), new ByteArrayOutputStream());
        assertEquals(0, result.exitCode());
        assertEquals("{\"count\":3}", Files.readString(log));
    }

    @Test
    void badInputExitsNonZeroWithOneLine() throws IOException {
        Path log = dir.resolve("sub/log.json");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StepResult result = run(step("bad", env -> {
            env.require("WINNOW_TRAIN_IDS");
            return StepResult.object();
        }), Map.of("WINNOW_TERMINATION_LOG", "file://" + log), err);
        assertEquals(StepResult.BAD_INPUT, result.exitCode());
        assertEquals("error: WINNOW_TRAIN_IDS is required but not set", err.toString().strip());
        assertEquals("{\"error\":\"WINNOW_TRAIN_IDS is required but not set\"}", Files.readString(log));
    }

    @Test
    void crashesAreFailuresToo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StepResult result = run(step("crash", env -> {
            throw new IllegalStateException("boom\nsecond line");
        }), Map.of("WINNOW_TERMINATION_LOG", dir.resolve("log").toString()), err);
        assertEquals(StepResult.FAILURE, result.exitCode());
        assertEquals(1, err.toString().strip().lines().count());
        assertTrue(result.json().get("error").asText().contains("boom second line"));
    }

    @Test
    void oversizedSummaryIsRefused() {
        StepResult result = run(step("big", env -> StepResult.object().put("x", "y".repeat(5000))),
                Map.of("WINNOW_TERMINATION_LOG", dir.resolve("log").toString()), new ByteArrayOutputStream());
        assertEquals(StepResult.FAILURE, result.exitCode());
    }
}
