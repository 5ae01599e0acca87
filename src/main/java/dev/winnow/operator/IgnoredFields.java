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

    private IgnoredFields() {
    }

    /** Why a strategy's fields do nothing for this Dataset, if they do nothing. */
    static Optional<String> of(String field, StrategySpec strategy, Dataset dataset) {
        if (strategy == null || strategy.detectionAggregation == null || detection(dataset)) {
            return Optional.empty();
        }
        return Optional.of(field + ".detectionAggregation " + strategy.detectionAggregation + " has no effect: Dataset '"
                + dataset.getMetadata().getName() + "' is " + dataset.getSpec().task
                + ", and only object detection aggregates per-box scores into one per image");
    }

    /** WINNOW_DETECTION_AGGREGATION for the select step: only where it means something. */
    static String detectionAggregation(StrategySpec strategy, Dataset dataset) {
        return strategy.detectionAggregation == null || !detection(dataset) ? null
                : strategy.detectionAggregation.id();
    }

    private static boolean detection(Dataset dataset) {
        return dataset.getSpec().task == Task.ObjectDetection;
    }
}
