package dev.winnow.operator;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.Dataset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** While a step runs, the operator waits for events instead of patching status in a loop. */
class IdleChurnTest extends ClusterTest {
    @Test
    void noRequestsWhileAStepRuns() throws InterruptedException {
        kubelet.manual();
        create(Manifests.dataset("fashion"));
        create(Manifests.loop("fashion", "fashion", 2));
        await(Dataset.class, "fashion", s -> phase(s, "Indexing"));
        await(ActiveLearningLoop.class, "fashion", s -> phase(s, "WaitingForDataset"));
        Thread.sleep(500);
        int before = cluster.server.getRequestCount();
        Thread.sleep(2000);
        int during = cluster.server.getRequestCount() - before;
        assertTrue(during < 10, "requests in 2 s while the index step runs: " + during);
    }
}
