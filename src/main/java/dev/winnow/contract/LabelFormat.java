package dev.winnow.contract;

/** {@code WINNOW_LABELS_FORMAT} and {@code WINNOW_GROUND_TRUTH_FORMAT}: how labels are stored. */
public enum LabelFormat {
    Jsonl,
    Kitti,
    Coco,
    Yolo
}
