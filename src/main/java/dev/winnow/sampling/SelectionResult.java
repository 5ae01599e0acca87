package dev.winnow.sampling;

import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link Sampler#select}: the chosen samples in rank order and the counts a
 * step reports.
 *
 * @param poolSize        ids in the predictions
 * @param excludedInPool  pool rows that were excluded
 * @param excludedTotal   distinct excluded ids, in the pool or not (what --total counts)
 * @param classes         class names for pre-annotations (may be empty: indices are used)
 * @param detectionFormat "jsonl" or "kitti" when the predictions were detections, else null
 * @param imageUris       image URIs by id, for the label request; an id without one is {@code imageRoot + id}
 */
public record SelectionResult(String strategy, List<Selected> selected, int poolSize, int excludedInPool,
        int excludedTotal, Integer round, String tag, List<String> classes, String detectionFormat,
        String imageRoot, Map<String, String> imageUris) {
    public SelectionResult {
        imageUris = imageUris == null ? Map.of() : Map.copyOf(imageUris);
    }

    public SelectionResult(String strategy, List<Selected> selected, int poolSize, int excludedInPool, int excludedTotal,
                           Integer round, String tag, List<String> classes, String detectionFormat, String imageRoot) {
        this(strategy, selected, poolSize, excludedInPool, excludedTotal, round, tag, classes, detectionFormat, imageRoot, Map.of());
    }

    public int count() {
        return selected.size();
    }

    /** Where a labeling tool finds a sample's image: its URI in the pool's manifest, else {@code imageRoot + id}. */
    public String image(String id) {
        String uri = imageUris.get(id);
        return uri != null ? uri : imageRoot + id;
    }

    /** The same selection with the selected samples' image URIs (from the pool's manifest). */
    public SelectionResult withImageUris(Map<String, String> uris) {
        return new SelectionResult(strategy, selected, poolSize, excludedInPool, excludedTotal, round, tag, classes,
                detectionFormat, imageRoot, uris);
    }
}
