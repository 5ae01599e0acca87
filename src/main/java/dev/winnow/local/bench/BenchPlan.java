package dev.winnow.local.bench;

import dev.winnow.contract.Strategy;

import java.util.List;
import java.util.Map;

/**
 * What a benchmark runs: every strategy with every seed, each its own loop. The trainer settings go into each
 * loop's trainer environment (the step contract's WINNOW_* variables); null sizes keep the manifest's.
 *
 * @param name               value of the {@link BenchLabels#BENCH} label, the report's selector
 * @param seeds              the loops' seeds; a seed's initial selection is the same for every strategy
 * @param trainerEnv         extra trainer variables, e.g. WINNOW_EPOCHS
 * @param resumeFromPrevious false trains every round from scratch
 */
public record BenchPlan(String name, List<Strategy> strategies, List<Long> seeds, Integer rounds, Integer initial,
                        Integer count, String initialStrategy, Map<String, String> trainerEnv, Boolean resumeFromPrevious) {
    public BenchPlan {
        if (strategies.isEmpty() || seeds.isEmpty()) {
            throw new IllegalArgumentException("a benchmark needs at least one strategy and one seed");
        }
        strategies = List.copyOf(strategies);
        seeds = List.copyOf(seeds);
        trainerEnv = Map.copyOf(trainerEnv);
    }

    /** The name of the loop (and of its Dataset) for a strategy and seed: {@code <bench>-<strategy>-s<seed>}. */
    public String loopName(Strategy strategy, long seed) {
        return name + "-" + strategy.id() + "-s" + seed;
    }
}
