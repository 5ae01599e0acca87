package dev.winnow.cluster;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.operator.job.StepJobBuilder;
import io.fabric8.kubernetes.api.model.Pod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Drives a loop through its step types and does something to the cluster while each one runs; then compares what
 * the loop learned and picked with an undisturbed loop's.
 */
final class Faults {
    /** The step types of a loop, in the order they first run. */
    static final List<String> STEP_TYPES = List.of("index", "select", "await-labels", "train", "infer");

    private final Installation winnow;

    Faults(Installation winnow) {
        this.winnow = winnow;
    }

    /**
     * For each step type in turn: waits until one of its pods is under way (pending or running: a step of a few
     * seconds may be reported running only briefly) in the namespace, then does fault to it.
     */
    void atEveryStepType(String namespace, Consumer<Pod> fault) {
        Set<String> done = new HashSet<>();
        for (String step : STEP_TYPES) {
            Pod[] running = new Pod[1];
            winnow.until(Installation.LOOP_TIMEOUT, () -> {
                running[0] = winnow.client.pods().inNamespace(namespace).withLabel(StepJobBuilder.STEP_LABEL, step).list().getItems()
                        .stream().filter(p -> List.of("Pending", "Running").contains(p.getStatus().getPhase()) && !done.contains(p.getMetadata().getName()))
                        .findFirst().orElse(null);
                if (running[0] == null && ended(namespace)) {
                    throw new AssertionError("the loop ended before a " + step + " pod ran:\n" + winnow.describe(namespace));
                }
                return running[0] != null;
            }, () -> "no " + step + " pod under way:\n" + winnow.describe(namespace));
            done.add(running[0].getMetadata().getName());
            fault.accept(running[0]);
        }
    }

    private boolean ended(String namespace) {
        ActiveLearningLoop loop = winnow.client.resources(ActiveLearningLoop.class).inNamespace(namespace).withName("fashion").get();
        return loop != null && Installation.phaseIn(loop.getStatus(), "Succeeded", "Failed");
    }

    /** What a finished loop learned (each round's accuracy) and picked (each round's selection), to compare loops by. */
    static Map<String, Object> outcome(ActiveLearningLoop loop, Tenant tenant) throws IOException {
        Map<String, Object> outcome = new LinkedHashMap<>();
        // accuracy, as people compare models; the loops run PyTorch on one thread (Tenant.loop), since on
        // several its CPU kernels may add floats in another order and move a loss in its fifth decimal (seen once)
        loop.getStatus().history.forEach(h -> outcome.put("round " + h.round + " accuracy", h.metrics == null ? null : h.metrics.get("accuracy")));
        Path rounds = tenant.volume().resolve("work").resolve(loop.getSpec().datasetRef).resolve("artifacts").resolve("rounds");
        try (Stream<Path> dirs = Files.list(rounds)) {
            for (Path dir : dirs.sorted().toList()) {
                List<String> ids = Tenant.selectedIds(dir.resolve("selection.jsonl")).stream().sorted().toList();
                outcome.put(dir.getFileName() + " picks", ids);
            }
        }
        return outcome;
    }

    static void assertSameOutcome(Map<String, Object> expected, Map<String, Object> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what);
        expected.forEach((key, value) -> assertEquals(value, actual.get(key), what + ": " + key));
    }
}
