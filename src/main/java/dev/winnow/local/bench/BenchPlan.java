package dev.winnow.local.bench;

import dev.winnow.local.demo.TrainingOptions;

import java.util.List;
import java.util.Map;

/**
 * What a benchmark runs: every strategy (or strategy with parameters) with every seed, each its own loop. The trainer settings go into each
 * loop's trainer environment (the step contract's WINNOW_* variables); null sizes keep the manifest's.
 *
 * @param name               value of the {@link BenchLabels#BENCH} label, the report's selector
 * @param seeds              the loops' seeds; a seed's initial selection is the same for every strategy
 * @param trainerEnv         extra trainer variables, e.g. WINNOW_EPOCHS
 * @param resumeFromPrevious false trains every round from scratch
 * @param training           backbone and pseudo-labels, which also name the report's rows
 */
public record BenchPlan(String name, List<BenchStrategy> strategies, List<Long> seeds, Integer rounds, Integer initial,
                        Integer count, String initialStrategy, Map<String, String> trainerEnv, Boolean resumeFromPrevious,
                        TrainingOptions training) {
    public BenchPlan(String name, List<BenchStrategy> strategies, List<Long> seeds, Integer rounds, Integer initial,
                     Integer count, String initialStrategy, Map<String, String> trainerEnv, Boolean resumeFromPrevious) {
        this(name, strategies, seeds, rounds, initial, count, initialStrategy, trainerEnv, resumeFromPrevious, TrainingOptions.NONE);
    }

    public BenchPlan {
        if (strategies.isEmpty() || seeds.isEmpty()) {
            throw new IllegalArgumentException("a benchmark needs at least one strategy and one seed");
        }
        strategies = List.copyOf(strategies);
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (BenchStrategy s : strategies) {
            if (!ids.add(s.id())) {
                throw new IllegalArgumentException("two entries of the benchmark are both named " + s.id()
                        + "; each strategy, or strategy with parameters, once");
            }
        }
        seeds = List.copyOf(seeds);
        trainerEnv = Map.copyOf(trainerEnv);
        training = training == null ? TrainingOptions.NONE : training;
    }

    /** A strategy's report row, and its loops' {@link BenchLabels#STRATEGY} label: its id and the training options. */
    public String rowId(BenchStrategy strategy) {
        return strategy.id() + training.suffix();
    }

    /** Every loop's name, strategy by strategy. */
    public List<String> loopNames() {
        return strategies.stream().flatMap(s -> seeds.stream().map(seed -> loopName(s, seed))).toList();
    }

    /** The name of the loop (and of its Dataset) for a strategy and seed: {@code <bench>-<strategy>-s<seed>}. */
    public String loopName(BenchStrategy strategy, long seed) {
        return name + "-" + rowId(strategy) + "-s" + seed;
    }
}
