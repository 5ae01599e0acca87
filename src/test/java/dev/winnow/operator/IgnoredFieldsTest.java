package dev.winnow.operator;

import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.DatasetSpec;
import dev.winnow.api.v1alpha1.StrategySpec;
import dev.winnow.contract.DetectionAggregation;
import dev.winnow.contract.Strategy;
import dev.winnow.contract.Task;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IgnoredFieldsTest {
    private static Dataset dataset(Task task) {
        Dataset d = new Dataset();
        d.setMetadata(new ObjectMetaBuilder().withName("pool").build());
        d.setSpec(new DatasetSpec());
        d.getSpec().task = task;
        return d;
    }

    private static StrategySpec strategy(Strategy name) {
        StrategySpec s = new StrategySpec();
        s.name = name;
        s.detectionAggregation = DetectionAggregation.Mean;
        return s;
    }

    @Test
    void aStrategyThatScoresBoxesGetsTheAggregation() {
        assertEquals("mean", IgnoredFields.detectionAggregation(strategy(Strategy.LeastConfidence), dataset(Task.ObjectDetection)));
        assertTrue(IgnoredFields.of("round.selection.strategy", strategy(Strategy.LeastConfidence), dataset(Task.ObjectDetection)).isEmpty());
    }

    @Test
    void randomOnDetectionIgnoresTheAggregationWithAWarningInsteadOfFailingItsSelectStep() {
        // a shared round template switched to Random keeps its detectionAggregation; the select step refuses the parameter
        assertNull(IgnoredFields.detectionAggregation(strategy(Strategy.Random), dataset(Task.ObjectDetection)));
        assertEquals("round.selection.strategy.detectionAggregation Mean has no effect: strategy Random does not score boxes",
                IgnoredFields.of("round.selection.strategy", strategy(Strategy.Random), dataset(Task.ObjectDetection)).orElseThrow());
    }

    @Test
    void classificationIgnoresTheAggregation() {
        assertNull(IgnoredFields.detectionAggregation(strategy(Strategy.Margin), dataset(Task.Classification)));
        assertTrue(IgnoredFields.of("s", strategy(Strategy.Margin), dataset(Task.Classification)).orElseThrow()
                .contains("Dataset 'pool' is Classification"));
    }
}
