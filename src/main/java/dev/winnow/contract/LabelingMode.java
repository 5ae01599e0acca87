package dev.winnow.contract;

/**
 * {@code WINNOW_LABELING_MODE}. External: humans label; Simulated: ground truth is revealed
 * (benchmarks, demo); None: do not wait (the operator then runs no await-labels step).
 */
public enum LabelingMode {
    External,
    Simulated,
    None
}
