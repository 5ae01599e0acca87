package dev.winnow.worker;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The step programs of the worker, by name; {@code select} wraps the sampling library. */
public final class Steps {

    private Steps() {
    }

    public static List<Step> all() {
        return List.of(new IndexStep(), new PrepareStep(), new TrainStep(), new InferStep(), new SelectStep(), new AwaitLabelsStep());
    }

    public static Optional<Step> byName(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Runs a step in this JVM with exactly the given environment (no process environment). */
    public static StepResult run(String name, Map<String, String> env) {
        Step step = byName(name).orElseThrow(() -> new IllegalArgumentException("no step '" + name + "'"));
        return StepRunner.run(step, StepEnvironment.of(env));
    }
}
