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
        return ratio ? (p1 > 0 ? (double) p2 / p1 : 0) : 1.0 - ((double) p1 - p2);
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
