package dev.winnow.contract;

/** {@code WINNOW_PREDICT_TARGET}: which samples the infer step predicts. */
public enum InferenceTarget {
    Unlabeled,
    All
}
