package dev.winnow.operator;

import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.TrainingRunSpec;
import dev.winnow.operator.status.Conditions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A failed step says why in its own words, whichever container failed; the Job's reason is never the whole message. */
class StepFailuresTest extends ClusterTest {

    @Test
    void theInitContainersMessageReachesTheCondition() {
        kubelet.on("prepare", (job, i, env) -> TestKubelet.PodResult.fail(
                "{\"error\":\"tag 'no-such-tag' not found: no s3://data/winnow/tags/no-such-tag.txt\"}"));
        create(Manifests.dataset("fashion"));
        TrainingRun run = Manifests.trainingRun("fashion-r1", "fashion");
        run.getSpec().trainOn = new TrainingRunSpec.TrainOn();
        run.getSpec().trainOn.tags = List.of("no-such-tag");
        run.getSpec().backoffLimit = 0;
        create(run);

        var failed = Conditions.find(await(TrainingRun.class, "fashion-r1", s -> phase(s, "Failed")).getStatus(), Conditions.FAILED)
                .orElseThrow();
        assertEquals("TrainFailed", failed.getReason());
        assertEquals("step train failed in prepare: tag 'no-such-tag' not found: no s3://data/winnow/tags/no-such-tag.txt",
                failed.getMessage());
    }

    @Test
    void aContainerThatLeftNoMessageIsDescribedBesideTheJobsReason() {
        kubelet.on("train", (job, i, env) -> new TestKubelet.PodResult(137, ""));
        create(Manifests.dataset("fashion"));
        TrainingRun run = Manifests.trainingRun("fashion-r1", "fashion");
        run.getSpec().backoffLimit = 0;
        create(run);

        String message = Conditions.find(await(TrainingRun.class, "fashion-r1", s -> phase(s, "Failed")).getStatus(),
                Conditions.FAILED).orElseThrow().getMessage();
        assertTrue(message.startsWith("Job fashion-r1-train failed: BackoffLimitExceeded"), message);
        assertTrue(message.contains("container train exited with code 137 (Error)"), message);
    }
}
