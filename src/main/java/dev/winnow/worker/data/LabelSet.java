package dev.winnow.worker.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Labels by sample id, in the order first seen; a later label for the same id replaces it. Ids that
 * people skipped (a labeling tool's cancelled annotation) are kept apart: they have no label.
 */
public final class LabelSet {

    private final Map<String, SampleLabel> labels = new LinkedHashMap<>();
    private final Set<String> skipped = new java.util.LinkedHashSet<>();
    private final boolean fractions;

    /** Labels whose boxes are in pixels of the stored image. */
    public LabelSet() {
        this(false);
    }

    /** @param fractions whether box coordinates are fractions of the image size (YOLO) rather than pixels */
    public LabelSet(boolean fractions) {
        this.fractions = fractions;
    }

    public boolean boxesInFractions() {
        return fractions;
    }

    /**
     * A labeled sample's boxes in pixels of its stored image, whatever the format keeps: YOLO's
     * fractions are multiplied by the image's width and height.
     */
    public java.util.List<Box> pixelBoxes(String id, ImageShape stored) {
        java.util.List<Box> boxes = get(id).orElseThrow(() -> new IllegalArgumentException("no label for '" + id + "'")).boxes();
        return fractions ? scaled(boxes, stored.width(), stored.height()) : boxes;
    }

    /** Boxes with x multiplied by {@code sx} and y by {@code sy}. */
    public static java.util.List<Box> scaled(java.util.List<Box> boxes, double sx, double sy) {
        return boxes.stream().map(b -> new Box(b.label(), b.x1() * sx, b.y1() * sy, b.x2() * sx, b.y2() * sy)).toList();
    }

    public void put(String id, SampleLabel label) {
        skipped.remove(id);
        labels.put(id, label);
    }

    /** People looked at the sample and gave no label (skipped or cancelled in their tool). */
    public void skip(String id) {
        labels.remove(id);
        skipped.add(id);
    }

    public boolean isSkipped(String id) {
        return skipped.contains(id);
    }

    /** Takes a label back (a {@code "label": null} line). */
    public void remove(String id) {
        labels.remove(id);
    }

    public Optional<SampleLabel> get(String id) {
        return Optional.ofNullable(labels.get(id));
    }

    public boolean contains(String id) {
        return labels.containsKey(id);
    }

    public int size() {
        return labels.size();
    }

    public Set<String> ids() {
        return Collections.unmodifiableSet(labels.keySet());
    }

    public Map<String, SampleLabel> asMap() {
        return Collections.unmodifiableMap(labels);
    }

    /**
     * Count per class name, every class listed (zeros too): for classification the samples of
     * each class, for detection the boxes of each class. Only ids in {@code pool} count, unless
     * {@code pool} is null.
     */
    public Map<String, Integer> histogram(ClassList classes, Set<String> pool) {
        int[] counts = new int[classes.size()];
        labels.forEach((id, label) -> {
            if (pool != null && !pool.contains(id)) {
                return;
            }
            if (label.hasClass()) {
                counts[label.label()]++;
            }
            label.boxes().forEach(box -> counts[box.label()]++);
        });
        Map<String, Integer> histogram = new LinkedHashMap<>();
        for (int i = 0; i < counts.length; i++) {
            histogram.put(classes.name(i), counts[i]);
        }
        return histogram;
    }
}
