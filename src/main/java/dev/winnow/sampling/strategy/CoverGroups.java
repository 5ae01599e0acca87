package dev.winnow.sampling.strategy;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * ProbCover's two all-pairs questions (which rows lie within delta of each row; how far each row is from the
 * nearest row of another cluster) without comparing every pair. The rows are grouped around about sqrt(N)
 * pivots chosen farthest-first, r_g being group g's exact radius; by the triangle inequality no member of
 * group g is nearer to x than |x - p_g| - r_g, so a group whose bound is past what is asked is skipped whole.
 * Every distance that is compared is computed as the plain scan computes it ({@link Vectors#dist2}), and the
 * bounds are widened by far more than float rounding, so the answers are the plain scan's, exactly. On
 * clustered embeddings a row visits a few groups near it: 60,000 rows cost seconds, not minutes.
 */
final class CoverGroups {
    /** Below this many rows the plain scan is as fast. */
    static final int MIN_ROWS = 4096;
    /** Relative widening of every bound: float sums of squares over d &lt;= 4096 err by far less. */
    private static final double SLACK = 1e-3;

    private final float[] x;
    private final int d;
    private final int groupCount;
    private final float[] pivots;
    private final double[] radius;
    private final int[][] members;

    private CoverGroups(float[] x, int n, int d) {
        this.x = x;
        this.d = d;
        int g = Math.max(1, Math.min(n, (int) Math.ceil(Math.sqrt(n))));
        this.groupCount = g;
        // farthest-first pivots from row 0: spread over the data, each group tight
        pivots = new float[g * d];
        float[] nearest = new float[n];
        int[] owner = new int[n];
        Arrays.fill(nearest, Float.POSITIVE_INFINITY);
        int next = 0;
        for (int p = 0; p < g; p++) {
            System.arraycopy(x, next * d, pivots, p * d, d);
            int pivot = p;
            IntStream.range(0, n).parallel().forEach(i -> {
                float dist = Vectors.dist2(x, i * d, pivots, pivot * d, d);
                if (dist < nearest[i]) {
                    nearest[i] = dist;
                    owner[i] = pivot;
                }
            });
            int far = 0;
            for (int i = 1; i < n; i++) {
                if (nearest[i] > nearest[far]) {
                    far = i;
                }
            }
            next = far;
        }
        int[] size = new int[g];
        radius = new double[g];
        for (int i = 0; i < n; i++) {
            size[owner[i]]++;
            radius[owner[i]] = Math.max(radius[owner[i]], Math.sqrt(nearest[i]));
        }
        members = new int[g][];
        for (int p = 0; p < g; p++) {
            members[p] = new int[size[p]];
        }
        int[] filled = new int[g];
        for (int i = 0; i < n; i++) {
            members[owner[i]][filled[owner[i]]++] = i;
        }
    }

    static CoverGroups of(float[] x, int n, int d) {
        return new CoverGroups(x, n, d);
    }

    /** The rows within sqrt(r2) of row i (dist2 &lt;= r2, as the plain scan), in row order. */
    int[] ball(int i, float r2) {
        double delta = Math.sqrt(r2);
        int[] ball = new int[16];
        int m = 0;
        for (int p = 0; p < groupCount; p++) {
            if (lowerBound(i, p) > delta) {
                continue;
            }
            for (int j : members[p]) {
                if (Vectors.dist2(x, i * d, x, j * d, d) <= r2) {
                    if (m == ball.length) {
                        ball = Arrays.copyOf(ball, m * 2);
                    }
                    ball[m++] = j;
                }
            }
        }
        int[] sorted = Arrays.copyOf(ball, m);
        Arrays.sort(sorted);
        return sorted;
    }

    /** The least dist2 from row i to a row of another label, as the plain scan's minimum (infinity when none). */
    float nearestOther(int i, int[] label) {
        double[] bound = new double[groupCount];
        Integer[] order = new Integer[groupCount];
        for (int p = 0; p < groupCount; p++) {
            bound[p] = lowerBound(i, p);
            order[p] = p;
        }
        Arrays.sort(order, (a, b) -> Double.compare(bound[a], bound[b]));
        float best = Float.POSITIVE_INFINITY;
        for (int p : order) {
            if (bound[p] > 0 && bound[p] * bound[p] > best) {
                break;
            }
            for (int j : members[p]) {
                if (label[j] != label[i]) {
                    best = Math.min(best, Vectors.dist2(x, i * d, x, j * d, d));
                }
            }
        }
        return best;
    }

    /** No member of group p is nearer to row i than this, widened for rounding. */
    private double lowerBound(int i, int p) {
        double toPivot = Math.sqrt(Vectors.dist2(x, i * d, pivots, p * d, d));
        return toPivot - radius[p] - SLACK * (toPivot + radius[p]) - 1e-6;
    }
}
