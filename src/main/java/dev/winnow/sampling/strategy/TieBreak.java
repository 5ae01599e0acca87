package dev.winnow.sampling.strategy;

/**
 * Seeded, order-independent random numbers per row: the same seed and row always give the
 * same value, whichever thread asks and in whatever order. Used to break score ties and as
 * the random strategy's draw.
 */
public final class TieBreak {
    private final long seed;

    public TieBreak(long seed) {
        this.seed = mix(seed ^ 0x5DEECE66DL);
    }

    /** SplitMix64's finaliser: a bijection that scatters nearby inputs. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long key(long row) {
        return mix(seed + mix(row + 0x9E3779B97F4A7C15L));
    }

    /** A uniform double in [0, 1). */
    public double uniform(long row) {
        return (key(row) >>> 11) * 0x1.0p-53;
    }

    /** True when row a ranks before row b at equal score. */
    public boolean before(long a, long b) {
        long ka = key(a);
        long kb = key(b);
        return ka != kb ? Long.compareUnsigned(ka, kb) < 0 : a < b;
    }
}
