package dev.winnow.sampling.strategy;

/**
 * Uncertainty of one probability row; larger means more uncertain, so every measure ranks
 * the same way. Rows are already checked to be distributions.
 */
public enum Uncertainty {
    /** 1 - p1, p1 the largest probability. */
    LEAST_CONFIDENCE("least-confidence") {
        @Override
        public double score(float[] a, int off, int n) {
            float p1 = a[off];
            for (int i = off + 1; i < off + n; i++) {
                p1 = Math.max(p1, a[i]);
            }
            return 1.0 - p1;
        }
    },
    /** 1 - (p1 - p2): a small gap between the two best classes is a hard case. */
    MARGIN("margin") {
        @Override
        public double score(float[] a, int off, int n) {
            return topTwo(a, off, n, false);
        }
    },
    /** p2 / p1: 1 when the two best classes tie. */
    RATIO("ratio") {
        @Override
        public double score(float[] a, int off, int n) {
            return topTwo(a, off, n, true);
        }
    },
    /** Shannon entropy in nats, -sum p ln p. */
    ENTROPY("entropy") {
        @Override
        public double score(float[] a, int off, int n) {
            double h = 0;
            for (int i = off; i < off + n; i++) {
                double p = a[i];
                if (p > 0) {
                    h -= p * Math.log(p);
                }
            }
            return h;
        }
    };

    private final String id;

    Uncertainty(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public abstract double score(float[] a, int off, int n);

    public static Uncertainty of(String id) {
        for (Uncertainty u : values()) {
            if (u.id.equals(id)) {
                return u;
            }
        }
        throw new IllegalArgumentException(id);
    }

    /**
     * Margin or ratio of the two largest probabilities, found in one pass; the two measures differ
     * only in how they combine p1 and p2. A single class scores 0.
     */
    private static double topTwo(float[] a, int off, int n, boolean ratio) {
        if (n == 1) {
            return 0;
        }
        long top = n < 8 ? inOrder(a, off, n) : lanes(a, off, n);
        float p1 = Float.intBitsToFloat((int) (top >>> 32));
        float p2 = Float.intBitsToFloat((int) top);
        if (p2 == 0) {
            // a zero's sign can depend on the order of the scan (-0.0 passes the row check)
            top = inOrder(a, off, n);
            p1 = Float.intBitsToFloat((int) (top >>> 32));
            p2 = Float.intBitsToFloat((int) top);
        }
        return ratio ? (p1 > 0 ? (double) p2 / p1 : 0) : 1.0 - ((double) p1 - p2);
    }

    /** The two largest values' bits, first in the high half: the plain scan. */
    private static long inOrder(float[] a, int off, int n) {
        float p1 = Math.max(a[off], a[off + 1]);
        float p2 = Math.min(a[off], a[off + 1]);
        for (int i = off + 2; i < off + n; i++) {
            float v = a[i];
            if (v > p2) {
                if (v > p1) {
                    p2 = p1;
                    p1 = v;
                } else {
                    p2 = v;
                }
            }
        }
        return pack(Float.floatToRawIntBits(p1), Float.floatToRawIntBits(p2));
    }

    /**
     * The same for a checked row (no NaN, no negative value but -0.0), in four interleaved lanes
     * without branches: the plain scan mispredicts a branch each time the second value changes,
     * about 2 ln n times a row. Non-negative floats order as their bits do; -0.0 sorts last, and
     * a zero result is redone in order by the caller.
     */
    private static long lanes(float[] a, int off, int n) {
        int a1 = Integer.MIN_VALUE;
        int a2 = Integer.MIN_VALUE;
        int b1 = Integer.MIN_VALUE;
        int b2 = Integer.MIN_VALUE;
        int c1 = Integer.MIN_VALUE;
        int c2 = Integer.MIN_VALUE;
        int d1 = Integer.MIN_VALUE;
        int d2 = Integer.MIN_VALUE;
        int i = off;
        int end = off + n;
        for (; i + 3 < end; i += 4) {
            int x = Float.floatToRawIntBits(a[i]);
            int y = Float.floatToRawIntBits(a[i + 1]);
            int z = Float.floatToRawIntBits(a[i + 2]);
            int w = Float.floatToRawIntBits(a[i + 3]);
            a2 = Math.max(a2, Math.min(a1, x));
            a1 = Math.max(a1, x);
            b2 = Math.max(b2, Math.min(b1, y));
            b1 = Math.max(b1, y);
            c2 = Math.max(c2, Math.min(c1, z));
            c1 = Math.max(c1, z);
            d2 = Math.max(d2, Math.min(d1, w));
            d1 = Math.max(d1, w);
        }
        for (; i < end; i++) {
            int x = Float.floatToRawIntBits(a[i]);
            a2 = Math.max(a2, Math.min(a1, x));
            a1 = Math.max(a1, x);
        }
        // the two largest overall are each among the two largest of their lane
        int p1 = Math.max(Math.max(a1, b1), Math.max(c1, d1));
        int second = Math.max(Math.max(a2, b2), Math.max(c2, d2));
        int otherFirst = a1 == p1 ? Math.max(b1, Math.max(c1, d1))
                : b1 == p1 ? Math.max(a1, Math.max(c1, d1))
                : c1 == p1 ? Math.max(a1, Math.max(b1, d1)) : Math.max(a1, Math.max(b1, c1));
        return pack(p1, Math.max(second, otherFirst));
    }

    private static long pack(int p1, int p2) {
        return ((long) p1 << 32) | (p2 & 0xFFFFFFFFL);
    }

    /** Largest possible value for n classes, to scale measures to [0, 1] when summing them. */
    public double max(int n) {
        return switch (this) {
            case LEAST_CONFIDENCE -> 1.0 - 1.0 / n;
            case MARGIN, RATIO -> 1.0;
            case ENTROPY -> Math.log(n);
        };
    }
}
