package dev.winnow.contract;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.winnow.contract.Input.DETECTIONS;
import static dev.winnow.contract.Input.EMBEDDINGS;
import static dev.winnow.contract.Input.MC_DROPOUT_SAMPLES;
import static dev.winnow.contract.Input.PROBABILITIES;

/**
 * The sampling strategies, each with what it needs: whether it can run before any model, which
 * predictions it reads on each task it supports, and its parameters. The constant names are what
 * users write in {@code spec.strategy.name}; {@link #id()} is the {@code winnow select --strategy}
 * name. The sampling engine implements each under its id (a test keeps the two in step, and the
 * docs' table), and the operator refuses a request the round cannot serve before any Job runs.
 */
public enum Strategy {
    Random(true, both(Set.of()), List.of()),
    LeastConfidence(false, uncertainty(), Params.DETECTION),
    Margin(false, uncertainty(), Params.DETECTION),
    Ratio(false, uncertainty(), Params.DETECTION),
    Entropy(false, uncertainty(), Params.DETECTION),
    UncertaintyMix(false, uncertainty(), Params.MIX),
    Bald(false, classification(MC_DROPOUT_SAMPLES), List.of()),
    VariationRatio(false, classification(MC_DROPOUT_SAMPLES), List.of()),
    /** Before a model: on the pooled pixels of the images. */
    Coreset(true, both(Set.of(EMBEDDINGS)), List.of()),
    /** Before a model: on the pooled pixels of the images. */
    ClusterBalanced(true, both(Set.of(EMBEDDINGS)), Params.CLUSTER_BALANCED),
    /** Cold start: the most typical point of each largest uncovered k-means cluster. */
    TypiClust(true, both(Set.of(EMBEDDINGS)), Params.TYPICLUST),
    /** Cold start: greedy coverage of the pool by balls of radius delta. */
    ProbCover(true, both(Set.of(EMBEDDINGS)), Params.PROB_COVER),
    /** On detection: per-box uncertainty aggregated per image, with the detector's embeddings. */
    Coral(false, Map.of(Task.Classification, Set.of(PROBABILITIES, EMBEDDINGS),
            Task.ObjectDetection, Set.of(DETECTIONS, EMBEDDINGS)), Params.CORAL),
    Badge(false, classification(PROBABILITIES, EMBEDDINGS), List.of()),
    ClusterMargin(false, classification(PROBABILITIES, EMBEDDINGS), Params.CLUSTER_MARGIN),
    ObjectFrequency(false, Map.of(Task.ObjectDetection, Set.of(DETECTIONS)), Params.OBJECT_FREQUENCY);

    private final boolean modelFree;
    private final Map<Task, Set<Input>> inputs;
    private final List<StrategyParam> params;

    Strategy(boolean modelFree, Map<Task, Set<Input>> inputs, List<StrategyParam> params) {
        this.modelFree = modelFree;
        this.inputs = inputs;
        this.params = params;
    }

    /** The name {@code winnow select --strategy} and {@code WINNOW_STRATEGY} take: LeastConfidence is least-confidence. */
    public String id() {
        if (this == TypiClust || this == ProbCover) {
            return name().toLowerCase(Locale.ROOT); // one word in their papers, as other tools spell them
        }
        return name().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    public static Optional<Strategy> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
    }

    /** Whether it can pick before any model exists (a round without a TrainingRun). */
    public boolean modelFree() {
        return modelFree;
    }

    public static List<Strategy> modelFreeOnes() {
        return Arrays.stream(values()).filter(Strategy::modelFree).toList();
    }

    public boolean supports(Task task) {
        return inputs.containsKey(task);
    }

    public Set<Task> tasks() {
        return inputs.isEmpty() ? Set.of() : EnumSet.copyOf(inputs.keySet());
    }

    /** The predictions it reads on a dataset of this task (none for Random, and for the model-free strategies before a model). */
    public Set<Input> inputs(Task task) {
        return inputs.getOrDefault(task, Set.of());
    }

    public List<StrategyParam> params() {
        return params;
    }

    public Optional<StrategyParam> param(String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * The first parameter that is not one of this strategy's or whose value it cannot take, as
     * {@code <path>.<name>: <problem>}; empty when every parameter is fine.
     */
    public Optional<String> paramProblem(String path, Map<String, String> values) {
        if (values == null) {
            return Optional.empty();
        }
        for (String name : new TreeSet<>(values.keySet())) {
            Optional<StrategyParam> param = param(name);
            String value = values.get(name);
            if (param.isEmpty()) {
                return Optional.of(path + "." + name + ": " + name() + " has no parameter '" + name + "' ("
                        + (params.isEmpty() ? "it takes none" : "it takes " + params.stream().map(StrategyParam::name)
                        .collect(Collectors.joining(", "))) + ")");
            }
            Optional<String> problem = param.get().problem(value);
            if (problem.isPresent()) {
                return Optional.of(path + "." + name + ": '" + value + "' " + problem.get() + " (" + name + ": "
                        + param.get().describe() + ")");
            }
        }
        return Optional.empty();
    }

    private static Map<Task, Set<Input>> both(Set<Input> inputs) {
        return Map.of(Task.Classification, inputs, Task.ObjectDetection, inputs);
    }

    /** Class probabilities on classification; on detection, each box's probabilities or score. */
    private static Map<Task, Set<Input>> uncertainty() {
        return Map.of(Task.Classification, Set.of(PROBABILITIES), Task.ObjectDetection, Set.of(DETECTIONS));
    }

    private static Map<Task, Set<Input>> classification(Input... inputs) {
        Map<Task, Set<Input>> map = new EnumMap<>(Task.class);
        map.put(Task.Classification, Set.of(inputs));
        return map;
    }

    /** Parameter lists several strategies share; a holder class, since enum constants cannot read the enum's own statics. */
    private static final class Params {
        static final String[] MEASURES = {"least-confidence", "margin", "ratio", "entropy"};
        static final List<StrategyParam> DETECTION = List.of(
                StrategyParam.choice("aggregation", "max", "detection: how box scores become one per image", "max", "mean", "sum"),
                StrategyParam.number("empty-score", 0, Double.MAX_VALUE, "0", "detection: the score of an image without boxes"));
        static final List<StrategyParam> MIX = List.of(
                StrategyParam.number("p", 0, 1, "0.9", "the probability of an uncertainty pick (else random)"),
                StrategyParam.choice("measure", "margin", "the uncertainty measure", MEASURES),
                DETECTION.get(0), DETECTION.get(1));
        static final List<StrategyParam> CLUSTER_BALANCED = List.of(
                StrategyParam.integer("clusters", 1, "10", "k-means clusters"),
                StrategyParam.integer("iterations", 0, "25", "Lloyd iterations"));
        static final List<StrategyParam> TYPICLUST = List.of(
                StrategyParam.integer("max-clusters", 1, "500", "at most this many k-means clusters (else labeled + requested)"),
                StrategyParam.integer("neighbours", 1, "20", "the K of typicality: 1 / mean distance to the K nearest in the cluster"),
                StrategyParam.integer("min-cluster-size", 1, "6", "smaller clusters are picked from last"),
                StrategyParam.integer("iterations", 0, "25", "Lloyd iterations"));
        static final List<StrategyParam> PROB_COVER = List.of(
                StrategyParam.number("delta", 0, Double.MAX_VALUE, "the purity rule", "the balls' radius"),
                StrategyParam.number("purity", 0, 1, "0.95", "purity rule: the share of balls within one k-means cluster"),
                StrategyParam.integer("clusters", 1, "10", "purity rule: k-means clusters (the number of classes)"));
        static final List<StrategyParam> CORAL = List.of(
                StrategyParam.number("weight", 0, 1e9, "1", "the weight of uncertainty against diversity"),
                StrategyParam.choiceList("measures", "least-confidence,margin,entropy", "the uncertainty measures averaged", MEASURES),
                DETECTION.get(0), DETECTION.get(1));
        static final List<StrategyParam> CLUSTER_MARGIN = List.of(
                StrategyParam.integer("candidates", 1, "10", "how many lowest-margin samples per pick are clustered"),
                StrategyParam.integer("clusters", 1, "the count", "k-means clusters"),
                StrategyParam.integer("iterations", 0, "25", "Lloyd iterations"));
        static final List<StrategyParam> OBJECT_FREQUENCY = List.of(
                StrategyParam.number("min-score", 0, 1, "0.5", "the score from which a box counts"));
    }
}
