package dev.winnow.sampling.strategy;

/**
 * One way of choosing samples. Implementations read what they need from the pool, never
 * choose an excluded row, return exactly k rows in rank order, and are deterministic for a
 * given pool and seed. Ties are broken by {@link TieBreak}, which depends on the seed.
 */
public interface Strategy {
    /** The name used by --strategy. */
    String name();

    /** k is at least 1 and at most pool.candidates(). */
    Ranking select(Pool pool, int k);
}
