package dev.winnow.operator;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.operator.status.Conditions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the API server refuses when the operator creates a Job or a child becomes a condition in the
 * server's words, once: no retries, no "Exhausted retries", no object left without status.
 */
class ReconcileErrorsTest extends ClusterTest {
    static final String INVALID_JOB = "Job.batch \"fashion-r1-train\" is invalid: spec.template.spec.containers[0].resources"
            + ".limits[example.com/thing]: Invalid value: \"example.com/thing\": must be a standard resource for containers";

    @Test
    void aJobTheApiServerRefusesFailsTheRunWithTheServersMessage() {
        create(Manifests.dataset("fashion"));
        await(Dataset.class, "fashion", s -> phase(s, "Ready"));
        cluster.refuseCreates("/apis/batch/v1/namespaces/ml/jobs", 422, "batch", "Job", INVALID_JOB);
        try (LogCapture logged = LogCapture.josdk()) {
            create(Manifests.trainingRun("fashion-r1", "fashion"));

            var failed = Conditions.find(await(TrainingRun.class, "fashion-r1", s -> phase(s, "Failed")).getStatus(), Conditions.FAILED)
                    .orElseThrow();
            assertEquals("JobRejected", failed.getReason());
            assertEquals("the API server refused the Job: " + INVALID_JOB, failed.getMessage());
            assertEquals(List.of(), logged.containing("Exhausted retries"));
        }
    }

    @Test
    void aRefusedIndexJobLeavesTheDatasetNotReadyWithTheReason() {
        cluster.refuseCreates("/apis/batch/v1/namespaces/ml/jobs", 422, "batch", "Job", "Job.batch \"fashion-index-g1\" is invalid: x");
        create(Manifests.dataset("fashion"));

        var status = await(Dataset.class, "fashion", s -> phase(s, "JobRejected")).getStatus();
        assertEquals("False", Conditions.find(status, Conditions.READY).orElseThrow().getStatus());
        assertEquals("the API server refused the Job: Job.batch \"fashion-index-g1\" is invalid: x", status.message);
    }

    @Test
    void aForbiddenCreateIsHeldAndTriedAgainNotFailed() {
        create(Manifests.dataset("fashion"));
        await(Dataset.class, "fashion", s -> phase(s, "Ready"));
        cluster.refuseCreates("/apis/winnow.dev/v1alpha1/namespaces/ml/selectionrounds", 403, "winnow.dev", "selectionrounds",
                "selectionrounds.winnow.dev \"fashion-r0\" is forbidden: exceeded quota: winnow, requested: count/selectionrounds.winnow.dev=1");
        create(Manifests.loop("fashion", "fashion", 2));

        var status = await(ActiveLearningLoop.class, "fashion", s -> phase(s, "SelectionRoundForbidden")).getStatus();
        assertTrue(status.message.contains("exceeded quota") && status.message.contains("trying again every 60 s"), status.message);
        assertTrue(!Conditions.isTrue(status, Conditions.FAILED), "a quota may free up: the loop is held, not failed");
    }
}
