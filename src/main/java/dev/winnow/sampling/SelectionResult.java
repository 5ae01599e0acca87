package dev.winnow.sampling;

import java.util.List;

/**
 * The outcome of {@link Sampler#select}: the chosen samples in rank order and the counts a
 * step reports.
 *
 * @param poolSize        ids in the predictions
 * @param excludedInPool  pool rows that were excluded
 * @param excludedTotal   distinct excluded ids, in the pool or not (what --total counts)
 * @param classes         class names for pre-annotations (may be empty: indices are used)
 * @param detectionFormat "jsonl" or "kitti" when the predictions were detections, else null
 */
public record SelectionResult(String strategy, List<Selected> selected, int poolSize, int excludedInPool,
        int excludedTotal, Integer round, String tag, List<String> classes, String detectionFormat,
        String imageRoot) {
    public int count() {
        return selected.size();
    }
}
