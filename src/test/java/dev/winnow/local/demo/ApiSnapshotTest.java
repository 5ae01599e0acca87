package dev.winnow.local.demo;

import dev.winnow.local.api.EmbeddedApiServer;
import dev.winnow.local.kubelet.LocalExecutor;
import dev.winnow.local.kubelet.ScriptedSteps;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiSnapshotTest {
    @TempDir
    Path dir;

    @Test
    void aSavedApiComesBackWithStatusAndOwnersAndTheExecutorResumesIt() throws Exception {
        try (EmbeddedApiServer first = EmbeddedApiServer.start(dir, 0)) {
            var c = first.client();
            c.resource(Serialization.unmarshal("""
                    apiVersion: winnow.dev/v1alpha1
                    kind: ActiveLearningLoop
                    metadata: {name: fashion}
                    spec: {datasetRef: fashion}
                    """, GenericKubernetesResource.class)).create();
            c.genericKubernetesResources("winnow.dev/v1alpha1", "ActiveLearningLoop").withName("fashion")
                    .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Running\",\"round\":2}}");
            // one Job finished, one interrupted mid-run
            c.batch().v1().jobs().resource(ScriptedSteps.job("done", "ok", 0, null)).create();
            c.batch().v1().jobs().resource(ScriptedSteps.job("half", "sleep", 0, null)).create();
            try (LocalExecutor ex = new LocalExecutor(c, EmbeddedApiServer.NAMESPACE,
                    new LocalExecutor.Settings(ScriptedSteps.IMAGE, 2, dir, Duration.ZERO), ScriptedSteps.LAUNCHER).start()) {
                waitFor(() -> ScriptedSteps.finished(c.batch().v1().jobs().withName("done").get())
                        && c.pods().withName("half-0-0").get() != null
                        && "Running".equals(c.pods().withName("half-0-0").get().getStatus().getPhase()));
            }
            ApiSnapshot.save(c, dir);
        }
        try (EmbeddedApiServer second = EmbeddedApiServer.start(dir, 0)) {
            var c = second.client();
            assertTrue(ApiSnapshot.restore(c, dir) >= 5);
            Map<?, ?> status = (Map<?, ?>) c.genericKubernetesResources("winnow.dev/v1alpha1", "ActiveLearningLoop")
                    .withName("fashion").get().getAdditionalProperties().get("status");
            assertEquals("Running", status.get("phase"));
            Job half = c.batch().v1().jobs().withName("half").get();
            Pod pod = c.pods().withName("half-0-0").get();
            assertEquals(half.getMetadata().getUid(), pod.getMetadata().getOwnerReferences().get(0).getUid(), "owner remapped");
            assertEquals(half.getMetadata().getUid(), pod.getMetadata().getLabels().get(LocalExecutor.CONTROLLER_UID_LABEL));

            c.batch().v1().jobs().withName("half").edit(j -> {
                j.getSpec().getTemplate().getSpec().getContainers().get(0).setArgs(java.util.List.of("worker", "ok"));
                return j;
            });
            try (LocalExecutor ex = new LocalExecutor(c, EmbeddedApiServer.NAMESPACE,
                    new LocalExecutor.Settings(ScriptedSteps.IMAGE, 2, dir, Duration.ZERO), ScriptedSteps.LAUNCHER).start()) {
                waitFor(() -> ScriptedSteps.finished(c.batch().v1().jobs().withName("half").get()));
            }
            assertEquals("Succeeded", c.pods().withName("half-0-1").get().getStatus().getPhase(), "the next attempt ran");
            assertEquals(1, c.pods().withLabel(LocalExecutor.JOB_NAME_LABEL, "done").list().getItems().size(),
                    "the finished Job was left alone");
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(50);
        }
    }
}
