package dev.winnow.operator;

import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.StrategySpec;
import dev.winnow.contract.Task;
import dev.winnow.operator.status.Reason;

import java.util.Optional;

/**
 * Fields that have no effect for the Dataset's task. They are not refused (a shared round template
 * may carry them), but a Warning Event says so once, instead of ignoring them silently.
 */
final class IgnoredFields {
    static final Reason REASON = Reason.FieldIgnored;
    /** The select step's parameter that WINNOW_DETECTION_AGGREGATION sets. */
    private static final String AGGREGATION = "aggregation";

    private IgnoredFields() {
    }

    /** Why a strategy's fields do nothing for this Dataset, if they do nothing. */
    static Optional<String> of(String field, StrategySpec strategy, Dataset dataset) {
        if (strategy == null || strategy.detectionAggregation == null) {
            return Optional.empty();
        }
        String ignored = field + ".detectionAggregation " + strategy.detectionAggregation + " has no effect: ";
        if (!detection(dataset)) {
            return Optional.of(ignored + "Dataset '" + dataset.getMetadata().getName() + "' is " + dataset.getSpec().task
                    + ", and only object detection aggregates per-box scores into one per image");
        }
        if (!aggregates(strategy)) {
            // e.g. a shared round template switched to Random: the select step would refuse the parameter
            return Optional.of(ignored + "strategy " + strategy.name + " does not score boxes");
        }
        return Optional.empty();
    }

    /** WINNOW_DETECTION_AGGREGATION for the select step: only where it means something. */
    static String detectionAggregation(StrategySpec strategy, Dataset dataset) {
        return strategy.detectionAggregation == null || !detection(dataset) || !aggregates(strategy) ? null
                : strategy.detectionAggregation.id();
    }

    /** Whether the strategy takes the per-box aggregation (the uncertainty measures, their mixes, CORAL...). */
    private static boolean aggregates(StrategySpec strategy) {
        return strategy.name == null || strategy.name.params().stream().anyMatch(p -> p.name().equals(AGGREGATION));
    }

    private static boolean detection(Dataset dataset) {
        return dataset.getSpec().task == Task.ObjectDetection;
    }
}
