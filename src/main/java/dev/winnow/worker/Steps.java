package dev.winnow.worker;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.winnow.contract.StepName;

/** The step programs of the worker, one per {@link StepName}; {@code select} wraps the sampling library. */
public final class Steps {

    private static final List<Step> ALL = List.of(new IndexStep(), new EmbedStep(), new PrepareStep(), new TrainStep(), new InferStep(),
            new SelectStep(), new AwaitLabelsStep());

    private Steps() {
    }

    public static List<Step> all() {
        return ALL;
    }

    public static Optional<Step> byName(String name) {
        return ALL.stream().filter(s -> s.name().id().equals(name)).findFirst();
    }

    /** Runs a step in this JVM with exactly the given environment (no process environment). */
    public static StepResult run(String name, Map<String, String> env) {
        Step step = byName(name).orElseThrow(() -> new IllegalArgumentException("no step '" + name + "'"));
        return StepRunner.run(step, StepEnvironment.of(env));
    }
}
