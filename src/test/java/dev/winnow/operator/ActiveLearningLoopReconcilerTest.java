package dev.winnow.operator;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.ActiveLearningLoopSpec;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.operator.status.Conditions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActiveLearningLoopReconcilerTest extends ClusterTest {
    /** Every Job of a three-round loop, in the order the loop must run them; the last round predicts nothing no one reads. */
    static final List<String> THREE_ROUNDS = List.of(
            "fashion-index-g1",
            "fashion-r0-select", "fashion-r0-await",
            "fashion-r1-train", "fashion-r1-infer", "fashion-r1-select", "fashion-r1-await",
            "fashion-r2-train", "fashion-r2-infer", "fashion-r2-select", "fashion-r2-await",
            "fashion-r3-train");

    @Test
    void threeRoundLoopSucceedsWithStopReasonMaxRounds() {
        create(Manifests.dataset("fashion"));
        create(Manifests.loop("fashion", "fashion", 3));

        ActiveLearningLoop loop = await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Succeeded"));
        var status = loop.getStatus();
        assertEquals("MaxRounds", status.stopReason);
        assertEquals(3, status.round);
        assertEquals(0.8, status.lastMetric, 1e-9, "round 3 of the fake trainer");
        assertEquals(200L, status.labeled, "100 initial + 50 + 50");
        assertEquals(200L, status.requested);
        assertEquals(List.of(1, 2, 3), status.history.stream().map(h -> h.round).toList());
        assertEquals(List.of(100L, 150L, 200L), status.history.stream().map(h -> h.labeled).toList(), "labels grow each round");
        assertEquals("fashion-r1", status.history.get(0).selectionRound);
        assertNull(status.history.get(2).selectionRound, "no selection after the last training");
        assertEquals("Done", status.stage);
        assertEquals(THREE_ROUNDS, kubelet.ran());

        // children are owned by the loop, with deterministic names, resuming from the previous round
        TrainingRun r2 = get(TrainingRun.class, "fashion-r2");
        assertEquals("fashion-r1", r2.getSpec().resumeFrom.trainingRun);
        assertEquals(3L, r2.getSpec().seed, "loop seed 1 + round 2, the same as the round's selection");
        assertEquals("fashion", r2.getMetadata().getOwnerReferences().get(0).getName());
        SelectionRound s2 = get(SelectionRound.class, "fashion-r2");
        assertEquals(List.of("fashion-r0", "fashion-r1"), s2.getSpec().exclude.tags);
        assertEquals("fashion-r2", s2.getSpec().trainingRunRef);
        assertEquals(3L, s2.getSpec().seed, "loop seed 1 + round 2");
        assertTrue(Conditions.isTrue(status, Conditions.READY));
        var reasons = cluster.client.v1().events().inNamespace(MockCluster.NAMESPACE).list().getItems().stream()
                .filter(e -> "fashion".equals(e.getInvolvedObject().getName()) && "ActiveLearningLoop".equals(e.getInvolvedObject().getKind()))
                .map(e -> e.getReason()).collect(Collectors.toSet());
        assertTrue(reasons.containsAll(List.of("InitialSelection", "Training", "MaxRounds")), reasons.toString());
        assertEquals(1, cluster.client.v1().events().inNamespace(MockCluster.NAMESPACE).list().getItems().stream()
                .filter(e -> "MaxRounds".equals(e.getReason())).count(), "Ready and Succeeded both say MaxRounds: one Event");
    }

    @Test
    void loopStopsWhenTheMetricReachesItsThreshold() {
        create(Manifests.dataset("fashion"));
        ActiveLearningLoop loop = Manifests.loop("fashion", "fashion", 10);
        loop.getSpec().stopWhen.metric = new ActiveLearningLoopSpec.MetricThreshold();
        loop.getSpec().stopWhen.metric.atLeast = 0.7;
        create(loop);

        var status = await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Succeeded")).getStatus();
        assertEquals("MetricReached", status.stopReason);
        assertEquals(2, status.round, "0.6 after round 1, 0.7 after round 2");
        assertTrue(status.message.contains("accuracy 0.7000 reached 0.7000"), status.message);
        assertTrue(kubelet.ran().stream().noneMatch(j -> j.startsWith("fashion-r3")), kubelet.ran().toString());
    }

    @Test
    void loopStopsOnPlateau() {
        kubelet.on("train", (job, i, env) -> TestKubelet.PodResult.ok("{\"metrics\":{\"accuracy\":"
                + (FakeSteps.round(env.get("WINNOW_CHECKPOINT_OUT")) == 1 ? 0.70 : 0.701) + "}}"));
        create(Manifests.dataset("fashion"));
        ActiveLearningLoop loop = Manifests.loop("fashion", "fashion", 10);
        loop.getSpec().stopWhen.plateau = new ActiveLearningLoopSpec.Plateau();
        loop.getSpec().stopWhen.plateau.rounds = 2;
        loop.getSpec().stopWhen.plateau.minDelta = 0.005;
        create(loop);

        var status = await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Succeeded")).getStatus();
        assertEquals("Plateau", status.stopReason);
        assertEquals(3, status.round, "two rounds in a row without a 0.005 gain");
    }

    @Test
    void labelBudgetCapsTheLastSelectionAndStopsTheLoop() {
        create(Manifests.dataset("fashion"));
        ActiveLearningLoop loop = Manifests.loop("fashion", "fashion", 10);
        loop.getSpec().stopWhen.labelBudget = 180L;
        create(loop);

        var status = await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Succeeded")).getStatus();
        assertEquals("LabelBudget", status.stopReason);
        assertEquals(180L, status.requested, "100 + 50 + 30: the last selection is cut to the budget");
        assertEquals(30, get(SelectionRound.class, "fashion-r2").getSpec().count);
    }

    @Test
    void failedChildFailsTheLoopWithAReasonNamingIt() {
        kubelet.on("infer", (job, i, env) -> TestKubelet.PodResult.fail("CUDA error: out of memory"));
        create(Manifests.dataset("fashion"));
        ActiveLearningLoop loop = Manifests.loop("fashion", "fashion", 3);
        loop.getSpec().round.backoffLimit = 0;
        create(loop);

        var status = await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Failed")).getStatus();
        var failed = Conditions.find(status, Conditions.FAILED).orElseThrow();
        assertEquals("ChildFailed", failed.getReason());
        assertTrue(failed.getMessage().contains("TrainingRun 'fashion-r1' failed") && failed.getMessage().contains("out of memory"),
                failed.getMessage());
        assertEquals("False", Conditions.find(status, Conditions.READY).orElseThrow().getStatus());
    }

    @Test
    void suspendedLoopCreatesNothingNewUntilResumed() {
        create(Manifests.dataset("fashion"));
        ActiveLearningLoop loop = Manifests.loop("fashion", "fashion", 2);
        loop.getSpec().suspend = true;
        create(loop);

        await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Suspended"));
        assertTrue(cluster.client.resources(SelectionRound.class).inNamespace(MockCluster.NAMESPACE).list().getItems().isEmpty());

        ActiveLearningLoop current = get(ActiveLearningLoop.class, "fashion");
        current.getSpec().suspend = false;
        cluster.client.resource(current).update();
        await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Succeeded"));
    }

    @Test
    void onlineModeWaitsOnlyForTheGivenNumberOfLabels() {
        create(Manifests.dataset("fashion"));
        ActiveLearningLoop loop = Manifests.loop("fashion", "fashion", 2);
        loop.getSpec().labeling.proceedAfter = 20;
        create(loop);

        var status = await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Succeeded")).getStatus();
        assertEquals(20, get(SelectionRound.class, "fashion-r1").getSpec().labeling.proceedAfter);
        assertEquals("20", TrainingRunReconcilerTest.env(cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE)
                .withName("fashion-r1-await").get()).get("WINNOW_MIN_LABELS"));
        assertEquals(List.of(20L, 40L), status.history.stream().map(h -> h.labeled).toList(),
                "training starts after 20 new labels each round");
    }

    @Test
    void restartBetweenEveryTwoStepsRunsEachStepExactlyOnce() {
        kubelet.manual();
        create(Manifests.dataset("fashion"));
        create(Manifests.loop("fashion", "fashion", 3));

        for (int step = 0; step < THREE_ROUNDS.size(); step++) {
            int expected = step + 1;
            Eventually.until(TIMEOUT, () -> kubelet.pending().size() == 1, () -> "pending: " + kubelet.pending().size()
                    + " after " + kubelet.ran());
            cluster.stopOperator();
            assertEquals(1, kubelet.runPending(), "one step at a time");
            assertEquals(expected, kubelet.ran().size());
            cluster.startOperator();
        }
        kubelet.automatic();
        var status = await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Succeeded")).getStatus();
        assertEquals(THREE_ROUNDS, kubelet.ran(), "no Job duplicated, no round skipped or repeated");
        assertEquals(THREE_ROUNDS.size(), cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).list().getItems().size());
        assertEquals(List.of(1, 2, 3), status.history.stream().map(h -> h.round).toList());
        assertEquals(3, cluster.client.resources(TrainingRun.class).inNamespace(MockCluster.NAMESPACE).list().getItems().size());
        assertEquals(3, cluster.client.resources(SelectionRound.class).inNamespace(MockCluster.NAMESPACE).list().getItems().size());
    }

    @Test
    void childNameTakenBySomeoneElseFailsTheLoopNamingIt() {
        create(Manifests.dataset("fashion"));
        create(Manifests.selectionRound("fashion-r0", "fashion", null, 10));
        create(Manifests.loop("fashion", "fashion", 2));

        var status = await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Failed")).getStatus();
        var failed = Conditions.find(status, Conditions.FAILED).orElseThrow();
        assertEquals("NameConflict", failed.getReason());
        assertTrue(failed.getMessage().contains("SelectionRound 'fashion-r0' already exists"), failed.getMessage());
    }

    @Test
    void deletingALoopMidRunWritesNoWarningWhileTheCollectorTakesItsRounds() throws InterruptedException {
        kubelet.hold("fashion-r2-train");
        create(Manifests.dataset("fashion"));
        create(Manifests.loop("fashion", "fashion", 3));
        await(TrainingRun.class, "fashion-r2", s -> phase(s, "Training"));

        // the mock has no garbage collector: play it, taking round 1 before round 2
        cluster.client.resource(get(ActiveLearningLoop.class, "fashion")).delete();
        cluster.client.resource(get(SelectionRound.class, "fashion-r1")).delete();
        cluster.client.resource(get(TrainingRun.class, "fashion-r1")).delete();
        Thread.sleep(1000);

        var warnings = cluster.client.v1().events().inNamespace(MockCluster.NAMESPACE).list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType())).map(e -> e.getReason() + " " + e.getInvolvedObject().getName()).toList();
        assertEquals(List.of(), warnings);
        assertEquals("Training", get(TrainingRun.class, "fashion-r2").getStatus().phase);
    }

    @Test
    void aLoopOnADatasetThatFailedToIndexSaysWhy() {
        kubelet.on("index", (job, i, env) -> TestKubelet.PodResult.fail("{\"error\": \"s3://data/fashion/: no IDX files found\"}"));
        create(Manifests.dataset("broken"));
        create(Manifests.loop("waits", "broken", 2));
        var status = await(ActiveLearningLoop.class, "waits", s -> phase(s, "DatasetFailed")).getStatus();
        assertEquals("Dataset 'broken' is not Ready: IndexFailed: step index failed: s3://data/fashion/: no IDX files found", status.message);
    }

    @Test
    void twoLoopsOnOneDatasetAreWarnedThatTheyShareItsLabels() {
        kubelet.manual();
        create(Manifests.dataset("fashion"));
        create(Manifests.loop("first", "fashion", 2));
        create(Manifests.loop("second", "fashion", 2));
        Eventually.until(TIMEOUT, () -> kubelet.pending().size() == 1, () -> "ran: " + kubelet.ran());
        kubelet.runPending(); // the index: both loops start
        Eventually.until(TIMEOUT, () -> cluster.client.v1().events().inNamespace(MockCluster.NAMESPACE).list().getItems().stream()
                .filter(e -> "SharedDataset".equals(e.getReason())).count() == 2, () -> "warnings: " + cluster.client.v1().events()
                .inNamespace(MockCluster.NAMESPACE).list().getItems().stream().map(e -> e.getReason()).toList());
        var warning = cluster.client.v1().events().inNamespace(MockCluster.NAMESPACE).list().getItems().stream()
                .filter(e -> "SharedDataset".equals(e.getReason()) && "second".equals(e.getInvolvedObject().getName())).findFirst().orElseThrow();
        assertEquals("Warning", warning.getType());
        assertTrue(warning.getMessage().startsWith("Dataset 'fashion' is also used by loop 'first': loops on one Dataset share its labels"),
                warning.getMessage());
    }
}
