package dev.winnow.operator;

import java.util.Set;

/**
 * How this operator runs: which image does the built-in steps, which namespaces it serves.
 *
 * @param workerImage image of Winnow's worker (the {@code winnow} jar), used for index, prepare,
 *                    select and await-labels, and for train/infer when a resource names no image
 * @param namespaces  namespaces to watch; empty means all
 */
public record OperatorSettings(String workerImage, Set<String> namespaces) {
    public static final String DEFAULT_WORKER_IMAGE = "ghcr.io/winnow-dev/winnow-worker:0.1.0";

    public OperatorSettings {
        if (workerImage == null || workerImage.isBlank()) {
            throw new IllegalArgumentException("the worker image must be named");
        }
        namespaces = namespaces == null ? Set.of() : Set.copyOf(namespaces);
    }

    public static OperatorSettings defaults() {
        return new OperatorSettings(DEFAULT_WORKER_IMAGE, Set.of());
    }
}
