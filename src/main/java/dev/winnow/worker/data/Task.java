package dev.winnow.worker.data;

/** {@code WINNOW_TASK}. */
public enum Task {
    Classification,
    ObjectDetection
}
