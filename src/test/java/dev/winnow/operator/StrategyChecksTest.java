package dev.winnow.operator;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.TrainingRunSpec;
import dev.winnow.api.v1alpha1.WinnowStatus;
import dev.winnow.contract.Strategy;
import dev.winnow.operator.status.Conditions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A strategy the round cannot serve is refused with InvalidSpec, naming the field and its value,
 * before any select Job (for a loop: before any child), not in the select step a training later.
 */
class StrategyChecksTest extends ClusterTest {

    private SelectionRound round(String name, String trainingRun, Strategy strategy, Map<String, String> params) {
        SelectionRound round = Manifests.selectionRound(name, "fashion", trainingRun, 40);
        round.getSpec().strategy = Manifests.strategy(strategy);
        round.getSpec().strategy.params = params;
        return round;
    }

    /** The round failed with InvalidSpec and this message, and no select Job of it was ever created. */
    private void refused(String name, String message) {
        SelectionRound failed = await(SelectionRound.class, name, s -> phase(s, "Failed"));
        assertInvalid(failed.getStatus(), message);
        assertTrue(kubelet.ran().stream().noneMatch(j -> j.startsWith(name + "-")), kubelet.ran().toString());
        assertEquals(null, cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).withName(name + "-select").get());
    }

    private static void assertInvalid(WinnowStatus status, String message) {
        var failed = Conditions.find(status, Conditions.FAILED).orElseThrow();
        assertEquals("InvalidSpec", failed.getReason());
        assertEquals(message, failed.getMessage());
    }

    @Test
    void aParameterOfTheWrongTypeIsRefused() {
        create(Manifests.dataset("fashion"));
        create(round("s1", null, Strategy.ClusterBalanced, Map.of("clusters", "ten")));
        refused("s1", "spec.strategy.params.clusters: 'ten' is not an integer (clusters: an integer >= 1, default 10)");
    }

    @Test
    void aParameterOutOfRangeIsRefused() {
        create(Manifests.dataset("fashion"));
        create(Manifests.trainingRun("fashion-r1", "fashion"));
        create(round("s1", "fashion-r1", Strategy.UncertaintyMix, Map.of("p", "1.5")));
        refused("s1", "spec.strategy.params.p: '1.5' must be between 0 and 1 (p: a number in [0, 1], default 0.9)");
    }

    @Test
    void aParameterTheStrategyDoesNotTakeIsRefused() {
        create(Manifests.dataset("fashion"));
        create(Manifests.trainingRun("fashion-r1", "fashion"));
        create(round("s1", "fashion-r1", Strategy.Margin, Map.of("temperature", "2")));
        refused("s1", "spec.strategy.params.temperature: Margin has no parameter 'temperature' (it takes aggregation, empty-score)");
    }

    @Test
    void anUncertaintyStrategyCannotPickBeforeAnyModel() {
        create(Manifests.dataset("fashion"));
        create(round("s1", null, Strategy.Margin, null));
        refused("s1", "spec.strategy.name: Margin needs a model's predictions, and this selection runs before any model:"
                + " use Random, Coreset, ClusterBalanced, TypiClust or ProbCover, or give it a TrainingRun to select from");
    }

    @Test
    void aDetectionStrategyIsRefusedOnAClassificationDataset() {
        create(Manifests.dataset("fashion"));
        create(Manifests.trainingRun("fashion-r1", "fashion"));
        create(round("s1", "fashion-r1", Strategy.ObjectFrequency, null));
        refused("s1", "spec.strategy.name: ObjectFrequency works on ObjectDetection datasets only; Dataset 'fashion' is Classification");
    }

    @Test
    void baldNeedsATrainingRunThatWritesMcDropoutSamples() {
        create(Manifests.dataset("fashion"));
        create(Manifests.trainingRun("fashion-r1", "fashion"));
        create(round("s1", "fashion-r1", Strategy.Bald, null));
        refused("s1", "spec.strategy.name: Bald reads MC-dropout samples (mc_probs.npy), which TrainingRun 'fashion-r1'"
                + " spec.inference does not produce: set TrainingRun 'fashion-r1' spec.inference.mcDropoutSamples (10 is common)");

        // the same round on a run that samples with dropout goes ahead
        TrainingRun sampled = Manifests.trainingRun("fashion-r2", "fashion");
        sampled.getSpec().inference = new TrainingRunSpec.Inference();
        sampled.getSpec().inference.mcDropoutSamples = 10;
        create(sampled);
        create(round("s2", "fashion-r2", Strategy.Bald, null));
        await(SelectionRound.class, "s2", s -> phase(s, "Succeeded"));
    }

    @Test
    void aLoopWithAModelBasedInitialPickStartsNothing() {
        create(Manifests.dataset("fashion"));
        ActiveLearningLoop loop = Manifests.loop("fashion", "fashion", 3);
        loop.getSpec().initialSelection.strategy = Manifests.strategy(Strategy.Entropy);
        create(loop);
        loopRefused("spec.initialSelection.strategy.name: Entropy needs a model's predictions, and this selection runs before"
                + " any model: use Random, Coreset, ClusterBalanced, TypiClust or ProbCover, or give it a TrainingRun to select from");
    }

    @Test
    void aLoopWhoseRoundsCannotServeItsStrategyStartsNothing() {
        create(Manifests.dataset("fashion"));
        ActiveLearningLoop loop = Manifests.loop("fashion", "fashion", 3);
        loop.getSpec().round.selection.strategy = Manifests.strategy(Strategy.VariationRatio);
        create(loop);
        loopRefused("spec.round.selection.strategy.name: VariationRatio reads MC-dropout samples (mc_probs.npy), which"
                + " spec.round.inference does not produce: set spec.round.inference.mcDropoutSamples (10 is common)");
    }

    @Test
    void aLoopWithABadRoundParameterStartsNothing() {
        create(Manifests.dataset("fashion"));
        ActiveLearningLoop loop = Manifests.loop("fashion", "fashion", 3);
        loop.getSpec().round.selection.strategy = Manifests.strategy(Strategy.Coral);
        loop.getSpec().round.selection.strategy.params = Map.of("measures", "margin,confidence");
        create(loop);
        loopRefused("spec.round.selection.strategy.params.measures: 'margin,confidence' names 'confidence'; each item must be one of"
                + " least-confidence, margin, ratio, entropy (measures: a comma list of least-confidence, margin, ratio, entropy,"
                + " default least-confidence,margin,entropy)");
    }

    private void loopRefused(String message) {
        ActiveLearningLoop failed = await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Failed"));
        assertInvalid(failed.getStatus(), message);
        assertEquals("InvalidSpec", Conditions.find(failed.getStatus(), Conditions.READY).orElseThrow().getReason());
        assertTrue(cluster.client.resources(SelectionRound.class).inNamespace(MockCluster.NAMESPACE).list().getItems().isEmpty());
        assertTrue(cluster.client.resources(TrainingRun.class).inNamespace(MockCluster.NAMESPACE).list().getItems().isEmpty());
    }
}
