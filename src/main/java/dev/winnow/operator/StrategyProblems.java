package dev.winnow.operator;

import dev.winnow.api.v1alpha1.StrategySpec;
import dev.winnow.api.v1alpha1.TrainingRunSpec;
import dev.winnow.contract.InferenceOutput;
import dev.winnow.contract.Input;
import dev.winnow.contract.Strategy;
import dev.winnow.contract.Task;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A selection the round cannot serve, found from the strategy catalog before any Job runs instead of
 * in the select step a whole training later: parameters the strategy does not take or cannot parse,
 * a strategy that needs a model where there is none, one the dataset's task does not support, and
 * one that reads predictions the training's inference is not set to write. Each problem names the
 * field and its value.
 */
final class StrategyProblems {
    private StrategyProblems() {
    }

    /** The parameters, and (without a model) whether the strategy can pick before one exists. */
    static Optional<String> of(String path, StrategySpec strategy, boolean hasModel) {
        Optional<String> params = strategy.name.paramProblem(path + ".params", strategy.params);
        if (params.isPresent() || hasModel || strategy.name.modelFree()) {
            return params;
        }
        return Optional.of(path + ".name: " + strategy.name + " needs a model's predictions, and this selection runs before"
                + " any model: use " + names(Strategy.modelFreeOnes()) + ", or give it a TrainingRun to select from");
    }

    static Optional<String> forTask(String path, StrategySpec strategy, Task task, String dataset) {
        if (strategy.name.supports(task)) {
            return Optional.empty();
        }
        return Optional.of(path + ".name: " + strategy.name + " works on " + names(strategy.name.tasks()) + " datasets only;"
                + " Dataset '" + dataset + "' is " + task);
    }

    /**
     * Whether inference configured as {@code inference} writes what the strategy reads on this task.
     * Detections are the inference image's own business (no field declares them), so only the
     * outputs the operator asks for are checked.
     *
     * @param inferencePath where the user changes it, e.g. spec.round.inference or TrainingRun 'r1' spec.inference
     */
    static Optional<String> forInference(String path, StrategySpec strategy, Task task, TrainingRunSpec.Inference inference,
                                         String inferencePath) {
        Set<Input> produced = produced(inference);
        List<Input> missing = strategy.name.inputs(task).stream()
                .filter(i -> i != Input.DETECTIONS && !produced.contains(i)).sorted().toList();
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        Input first = missing.get(0);
        String fix = first == Input.MC_DROPOUT_SAMPLES
                ? "set " + inferencePath + ".mcDropoutSamples (10 is common)"
                : "add " + (first == Input.PROBABILITIES ? InferenceOutput.Probabilities : InferenceOutput.Embeddings) + " to "
                + inferencePath + ".outputs";
        return Optional.of(path + ".name: " + strategy.name + " reads " + first.description() + ", which " + inferencePath
                + " does not produce: " + fix);
    }

    private static Set<Input> produced(TrainingRunSpec.Inference inference) {
        Set<Input> produced = EnumSet.noneOf(Input.class);
        List<InferenceOutput> outputs = inference == null || inference.outputs == null || inference.outputs.isEmpty()
                ? List.of(InferenceOutput.values()) : inference.outputs;
        if (outputs.contains(InferenceOutput.Probabilities)) {
            produced.add(Input.PROBABILITIES);
        }
        if (outputs.contains(InferenceOutput.Embeddings)) {
            produced.add(Input.EMBEDDINGS);
        }
        if (inference != null && inference.mcDropoutSamples != null && inference.mcDropoutSamples > 0) {
            produced.add(Input.MC_DROPOUT_SAMPLES);
        }
        return produced;
    }

    private static String names(java.util.Collection<? extends Enum<?>> values) {
        List<String> names = values.stream().map(Enum::name).collect(Collectors.toList());
        return names.size() < 2 ? String.join("", names)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
