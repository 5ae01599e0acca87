package dev.winnow.operator;

import java.time.Duration;
import java.util.Set;

/**
 * How this operator runs: which image does the built-in steps, which namespaces it serves.
 *
 * @param workerImage image of Winnow's worker (the {@code winnow} jar), used for index, prepare,
 *                    select and await-labels, and for train/infer when a resource names no image
 * @param namespaces  namespaces to watch; empty means all
 * @param enginePoll  how often a train step on a PyTorchJob or TrainJob is looked at while it runs (those
 *                    resources have no informer: their CRDs may be missing)
 */
public record OperatorSettings(String workerImage, Set<String> namespaces, Duration enginePoll) {
    public static final String DEFAULT_WORKER_IMAGE = "ghcr.io/winnow-dev/winnow-worker:0.2.0";
    public static final Duration DEFAULT_ENGINE_POLL = Duration.ofSeconds(15);

    public OperatorSettings {
        if (workerImage == null || workerImage.isBlank()) {
            throw new IllegalArgumentException("the worker image must be named");
        }
        namespaces = namespaces == null ? Set.of() : Set.copyOf(namespaces);
        enginePoll = enginePoll == null ? DEFAULT_ENGINE_POLL : enginePoll;
    }

    public OperatorSettings(String workerImage, Set<String> namespaces) {
        this(workerImage, namespaces, DEFAULT_ENGINE_POLL);
    }

    public OperatorSettings withEnginePoll(Duration poll) {
        return new OperatorSettings(workerImage, namespaces, poll);
    }

    public static OperatorSettings defaults() {
        return new OperatorSettings(DEFAULT_WORKER_IMAGE, Set.of());
    }
}
