package dev.winnow.sampling.strategy;

/** Chosen pool rows in rank order (best first) with each one's score. */
public record Ranking(int[] rows, double[] scores) {
    public int size() {
        return rows.length;
    }
}
