package dev.winnow.local.bench;

import dev.winnow.contract.Variables;

import java.util.Locale;
import java.util.Map;

/**
 * Published protocols, so a benchmark's numbers can be set beside the paper's. The command line's sizes still
 * win over a preset's.
 */
public enum BenchPreset {
    /**
     * CDALBench's Fashion-MNIST setup (Werner et al., "A Cross-Domain Benchmark for Active Learning", NeurIPS 2024
     * datasets track): ResNet-18 trained from scratch every round with Adam, learning rate 1e-3, 20 epochs, batch
     * 128, 500 samples per query. The budget (20 queries of 500 after a first pick of 500, 10,500 labels) is this
     * preset's choice: docs/quality.md says what could be checked against the paper.
     */
    CDAL(500, 500, 20, Map.of(Variables.MODEL, "resnet18", Variables.EPOCHS, "20", Variables.BATCH_SIZE, "128",
            Variables.LEARNING_RATE, "0.001"), false);

    private final int initial;
    private final int count;
    private final int rounds;
    private final Map<String, String> trainerEnv;
    private final boolean resumeFromPrevious;

    BenchPreset(int initial, int count, int rounds, Map<String, String> trainerEnv, boolean resumeFromPrevious) {
        this.initial = initial;
        this.count = count;
        this.rounds = rounds;
        this.trainerEnv = trainerEnv;
        this.resumeFromPrevious = resumeFromPrevious;
    }

    public int initial() {
        return initial;
    }

    public int count() {
        return count;
    }

    public int rounds() {
        return rounds;
    }

    public Map<String, String> trainerEnv() {
        return trainerEnv;
    }

    public boolean resumeFromPrevious() {
        return resumeFromPrevious;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BenchPreset parse(String id) {
        for (BenchPreset p : values()) {
            if (p.id().equalsIgnoreCase(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset " + id + "; one of " + java.util.Arrays.stream(values()).map(BenchPreset::id).toList());
    }
}
