package dev.winnow.dashboard;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.TrainingRun;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What the viewer may see of the cluster at one moment: the objects their informers hold, and a sentence for each
 * kind they may not list or watch. The views are pure functions of it.
 */
public record Snapshot(List<ActiveLearningLoop> loops, List<SelectionRound> rounds, List<TrainingRun> runs,
                       List<Dataset> datasets, List<Event> events, List<String> problems) {
    /** The label the operator puts on a loop's children (the operator's LoopChildren; the dashboard reads, never imports it). */
    static final String LOOP_LABEL = "winnow.dev/loop";
    /** The label with the child's round number. */
    static final String ROUND_LABEL = "winnow.dev/round";

    public static Snapshot empty() {
        return new Snapshot(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /** The loop's children of one kind: same namespace, labeled with its name. */
    static <T extends HasMetadata> Stream<T> childrenOf(ActiveLearningLoop loop, List<T> candidates) {
        return candidates.stream().filter(c -> sameNamespace(c, loop)
                && loop.getMetadata().getName().equals(labels(c).get(LOOP_LABEL)));
    }

    static Map<String, String> labels(HasMetadata o) {
        return o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
    }

    static boolean sameNamespace(HasMetadata a, HasMetadata b) {
        return Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace());
    }
}
