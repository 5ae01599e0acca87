package dev.winnow.worker.data;

/**
 * One object of a detection label: class index and corners. Coordinates are pixels for KITTI and
 * COCO; YOLO files hold fractions of the image size and they are kept as such (the {@link LabelSet}
 * says which; {@link LabelSet#pixelBoxes} gives pixels either way).
 */
public record Box(int label, double x1, double y1, double x2, double y2) {
}
