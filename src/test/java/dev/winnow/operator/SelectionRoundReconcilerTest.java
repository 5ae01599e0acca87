package dev.winnow.operator;

import dev.winnow.api.v1alpha1.LabelingSpec;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.contract.LabelingMode;
import dev.winnow.contract.Strategy;
import dev.winnow.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectionRoundReconcilerTest extends ClusterTest {

    @Test
    void selectsFromTheRunsPredictionsThenWaitsForTheLabels() {
        create(Manifests.dataset("fashion"));
        create(Manifests.trainingRun("fashion-r1", "fashion"));
        SelectionRound round = Manifests.selectionRound("fashion-s1", "fashion", "fashion-r1", 40);
        round.getSpec().strategy = Manifests.strategy(Strategy.UncertaintyMix);
        round.getSpec().strategy.params = Map.of("p", "0.3");
        create(round);

        SelectionRound done = await(SelectionRound.class, "fashion-s1", s -> phase(s, "Succeeded"));
        var status = done.getStatus();
        assertEquals(40L, status.selected);
        assertEquals(40L, status.labeled);
        assertEquals("s3://data/winnow/rounds/fashion-s1/selection.jsonl", status.selection);
        assertEquals("0123abcd", status.sha256);
        assertEquals("fashion-s1", status.tag);
        assertEquals("s3://data/winnow/tags/fashion-s1.txt", status.tagUri);
        assertEquals("Labeled", Conditions.find(status, Conditions.SUCCEEDED).orElseThrow().getReason());

        Map<String, String> select = TrainingRunReconcilerTest.env(job("fashion-s1-select"));
        assertEquals(get(dev.winnow.api.v1alpha1.TrainingRun.class, "fashion-r1").getStatus().predictions, select.get("WINNOW_PREDICTIONS"),
                "the predictions its TrainingRun recorded");
        assertEquals("uncertainty-mix", select.get("WINNOW_STRATEGY"));
        assertEquals("{\"p\":\"0.3\"}", select.get("WINNOW_STRATEGY_PARAMS"));
        assertEquals("40", select.get("WINNOW_COUNT"));
        assertEquals("7", select.get("WINNOW_SEED"));
        assertEquals("true", select.get("WINNOW_EXCLUDE_ALL_LABELED"));
        Map<String, String> await = TrainingRunReconcilerTest.env(job("fashion-s1-await"));
        assertEquals("External", await.get("WINNOW_LABELING_MODE"));
        assertEquals(status.selection, await.get("WINNOW_SELECTION"));
    }

    @Test
    void modelFreeSelectionWithoutWaitingWhenLabelingModeIsNone() {
        create(Manifests.dataset("fashion"));
        SelectionRound round = Manifests.selectionRound("initial", "fashion", null, 100);
        round.getSpec().labeling = new LabelingSpec();
        round.getSpec().labeling.mode = LabelingMode.None;
        create(round);

        SelectionRound done = await(SelectionRound.class, "initial", s -> phase(s, "Succeeded"));
        assertEquals(100L, done.getStatus().selected);
        assertEquals(List.of("fashion-index-g1", "initial-select"), kubelet.ran());
        assertFalse(TrainingRunReconcilerTest.env(job("initial-select")).containsKey("WINNOW_PREDICTIONS"));
    }

    @Test
    void impossibleRequestFailsTheRoundWithTheSelectStepsMessage() {
        kubelet.on("select", (job, i, env) -> TestKubelet.PodResult.fail(
                "{\"error\": \"count 5000 is more than the 900 samples left in the pool\"}"));
        create(Manifests.dataset("fashion"));
        SelectionRound round = Manifests.selectionRound("greedy", "fashion", null, 5000);
        round.getSpec().backoffLimit = 0;
        create(round);

        SelectionRound failed = await(SelectionRound.class, "greedy", s -> phase(s, "Failed"));
        var condition = Conditions.find(failed.getStatus(), Conditions.FAILED).orElseThrow();
        assertEquals("SelectFailed", condition.getReason());
        assertTrue(condition.getMessage().contains("more than the 900 samples left"), condition.getMessage());
    }

    @Test
    void failedTrainingRunFailsTheRoundNamingIt() {
        kubelet.on("train", (job, i, env) -> TestKubelet.PodResult.fail("out of memory"));
        create(Manifests.dataset("fashion"));
        var run = Manifests.trainingRun("fashion-r1", "fashion");
        run.getSpec().backoffLimit = 0;
        create(run);
        create(Manifests.selectionRound("fashion-s1", "fashion", "fashion-r1", 10));

        SelectionRound failed = await(SelectionRound.class, "fashion-s1", s -> phase(s, "Failed"));
        var condition = Conditions.find(failed.getStatus(), Conditions.FAILED).orElseThrow();
        assertEquals("TrainingRunFailed", condition.getReason());
        assertTrue(condition.getMessage().contains("fashion-r1") && condition.getMessage().contains("out of memory"), condition.getMessage());
    }

    @Test
    void countAndTotalTogetherAreRejectedWithAClearMessage() {
        create(Manifests.dataset("fashion"));
        SelectionRound round = Manifests.selectionRound("both", "fashion", null, 10);
        round.getSpec().total = 20;
        create(round);

        SelectionRound failed = await(SelectionRound.class, "both", s -> phase(s, "Failed"));
        assertEquals("InvalidSpec", Conditions.find(failed.getStatus(), Conditions.FAILED).orElseThrow().getReason());
        assertTrue(failed.getStatus().message.contains("exactly one"), failed.getStatus().message);
    }

    private Job job(String name) {
        return cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).withName(name).get();
    }
}
