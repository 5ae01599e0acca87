package dev.winnow.contract;

import java.util.Locale;

/** {@code WINNOW_DETECTION_AGGREGATION}: how per-box uncertainty becomes one score per image. */
public enum DetectionAggregation {
    Max,
    Mean,
    Sum;

    /** The value of the strategies' {@code aggregation} parameter: max, mean, sum. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
