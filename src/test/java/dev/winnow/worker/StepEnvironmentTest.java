package dev.winnow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.winnow.contract.SourceFormat;
import org.junit.jupiter.api.Test;

class StepEnvironmentTest {

    @Test
    void overridesWinUnderAnySpelling() {
        StepEnvironment env = StepEnvironment.of(
                Map.of("WINNOW_EPOCHS", "5", "WINNOW_TRAIN_IDS", "s3://b/ids.txt", "WINNOW_SEED", "1"),
                Map.of("epochs", "7", "train-ids", "file:///tmp/ids.txt", "WINNOW_SEED", "2"));
        assertEquals(7, env.intValue("WINNOW_EPOCHS", 1));
        assertEquals(URI.create("file:///tmp/ids.txt"), env.uri("WINNOW_TRAIN_IDS"));
        assertEquals(2, env.longValue("WINNOW_SEED", 0));
        assertEquals("WINNOW_BATCH_SIZE", StepEnvironment.variableName("batchSize"));
        assertEquals("AWS_REGION", StepEnvironment.variableName("AWS_REGION"));
    }

    @Test
    void blankIsAbsentAndErrorsNameTheVariable() {
        StepEnvironment env = StepEnvironment.of(Map.of("WINNOW_RESUME_FROM", " ", "WINNOW_EPOCHS", "many"));
        assertEquals(Optional.empty(), env.optionalUri("WINNOW_RESUME_FROM"));
        StepException missing = assertThrows(StepException.class, () -> env.require("WINNOW_CHECKPOINT"));
        assertTrue(missing.getMessage().contains("WINNOW_CHECKPOINT"));
        StepException bad = assertThrows(StepException.class, () -> env.intValue("WINNOW_EPOCHS", 1));
        assertTrue(bad.getMessage().contains("WINNOW_EPOCHS") && bad.getMessage().contains("many"));
    }

    @Test
    void listsEnumsFlagsAndDirectories() {
        StepEnvironment env = StepEnvironment.of(Map.of("WINNOW_TRAIN_TAGS", "initial, round-1,,",
                "WINNOW_DATASET_FORMAT", "imagefolder", "WINNOW_TRAIN_ALL_LABELED", "TRUE",
                "WINNOW_CHECKPOINT_OUT", "s3://bucket/runs/r1/model"));
        assertEquals(List.of("initial", "round-1"), env.list("WINNOW_TRAIN_TAGS"));
        assertEquals(SourceFormat.ImageFolder, env.enumValue("WINNOW_DATASET_FORMAT", SourceFormat.class, null));
        assertTrue(env.flag("WINNOW_TRAIN_ALL_LABELED", false));
        assertEquals(URI.create("s3://bucket/runs/r1/model/"), env.directoryUri("WINNOW_CHECKPOINT_OUT"));
        StepEnvironment bad = StepEnvironment.of(Map.of("WINNOW_DATASET_FORMAT", "Parquet"));
        assertThrows(StepException.class, () -> bad.enumValue("WINNOW_DATASET_FORMAT", SourceFormat.class, null));
    }
}
