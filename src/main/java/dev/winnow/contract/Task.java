package dev.winnow.contract;

/** {@code Dataset.spec.task} and {@code WINNOW_TASK}. */
public enum Task {
    Classification,
    ObjectDetection
}
