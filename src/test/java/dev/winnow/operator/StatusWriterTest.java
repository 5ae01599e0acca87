package dev.winnow.operator;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.ActiveLearningLoopStatus;
import dev.winnow.operator.status.Conditions;
import dev.winnow.operator.status.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Two writers racing on one status, forced: both read the same version, one writes, then the
 * other writes what it computed from the version that is now gone.
 */
class StatusWriterTest {
    final MockCluster cluster = new MockCluster();
    final Conditions conditions = new Conditions(Clock.systemUTC());

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aStatusComputedFromAnOlderVersionIsRefusedSoNoConditionDoublesAndNoHistoryEntryIsLost() {
        ActiveLearningLoop first = createWith(Conditions.READY, "Running");
        first.getStatus().history.add(entry(1));
        StatusWriter.write(cluster.client, first);

        ActiveLearningLoop a = read();
        ActiveLearningLoop b = read();
        assertEquals(a.getMetadata().getResourceVersion(), b.getMetadata().getResourceVersion());
        conditions.set(a.getStatus(), 1, Conditions.PROGRESSING, true, "Selecting", "round 2: selecting");
        a.getStatus().history.add(entry(2));
        StatusWriter.write(cluster.client, a);

        // b still sees round 1 only: written blindly, it would drop round 2 or add a second Progressing
        conditions.set(b.getStatus(), 1, Conditions.PROGRESSING, true, "Training", "round 2: training");
        var refused = assertThrows(KubernetesClientException.class, () -> StatusWriter.write(cluster.client, b));
        assertEquals(409, refused.getCode());
        assertEquals(List.of(1, 2), rounds(read()));

        // the refused writer reads again and reconciles from there
        ActiveLearningLoop again = read();
        conditions.set(again.getStatus(), 1, Conditions.PROGRESSING, true, "AwaitingLabels", "round 2: awaiting labels");
        StatusWriter.write(cluster.client, again);

        ActiveLearningLoopStatus status = read().getStatus();
        assertEquals(List.of(1, 2), rounds(read()), "no history entry lost or doubled");
        assertEquals(List.of(Conditions.READY, Conditions.PROGRESSING), status.conditions.stream().map(c -> c.getType()).toList());
        assertEquals("AwaitingLabels", Conditions.find(status, Conditions.PROGRESSING).orElseThrow().getReason());
    }

    @Test
    void aStatusWithDuplicatedConditionsIsRepairedByItsNextWrite() {
        ActiveLearningLoop loop = createWith(Conditions.SUCCEEDED, "MaxRounds");
        loop.getStatus().conditions.add(loop.getStatus().conditions.get(0)); // as two unguarded writers left it
        StatusWriter.write(cluster.client, loop);

        assertEquals(List.of(Conditions.SUCCEEDED), read().getStatus().conditions.stream().map(c -> c.getType()).toList());
    }

    /** A loop as the API server has it, with a first condition set in the status it is about to get. */
    private ActiveLearningLoop createWith(String condition, String reason) {
        cluster.client.resource(Manifests.loop("fashion", "fashion", 3)).create();
        ActiveLearningLoop loop = read();
        loop.setStatus(new ActiveLearningLoopStatus());
        conditions.set(loop.getStatus(), 1, condition, true, reason, reason);
        return loop;
    }

    private ActiveLearningLoop read() {
        return cluster.client.resources(ActiveLearningLoop.class).inNamespace(MockCluster.NAMESPACE).withName("fashion").get();
    }

    private static List<Integer> rounds(ActiveLearningLoop loop) {
        return loop.getStatus().history.stream().map(h -> h.round).toList();
    }

    private static ActiveLearningLoopStatus.RoundEntry entry(int round) {
        var entry = new ActiveLearningLoopStatus.RoundEntry();
        entry.round = round;
        entry.trainingRun = "fashion-r" + round;
        return entry;
    }
}
