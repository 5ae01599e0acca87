package dev.winnow.worker.data;

/** {@code WINNOW_LABELS_FORMAT}: how labels are stored. */
public enum LabelsFormat {
    Jsonl,
    Kitti,
    Coco,
    Yolo
}
