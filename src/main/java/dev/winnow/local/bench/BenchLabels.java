package dev.winnow.local.bench;

/** The labels a benchmark puts on its loops, so that a report can find them on any cluster. */
public final class BenchLabels {
    public static final String BENCH = "winnow.dev/bench";
    public static final String STRATEGY = "winnow.dev/strategy";
    public static final String SEED = "winnow.dev/seed";

    private BenchLabels() {
    }
}
