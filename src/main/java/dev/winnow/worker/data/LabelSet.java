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
