package dev.winnow.contract;

/** {@code WINNOW_LABELS_FORMAT} and {@code WINNOW_GROUND_TRUTH_FORMAT}: how labels are stored. */
public enum LabelFormat {
    Jsonl,
    Kitti,
    Coco,
    Yolo,
    /** Label Studio's JSON export, or its target storage's one file per annotation or task. */
    LabelStudio,
    /** CVAT's "CVAT for images 1.1" XML export. */
    Cvat;

    /** YOLO writes box coordinates as fractions of the image's width and height; every other format in pixels. */
    public boolean boxesInFractions() {
        return this == Yolo;
    }
}
