package dev.winnow.sampling.strategy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Squared distances among the rows of x, a block of pairs at a time as one GEMM on DJL: rows
 * [x, 1, |x|^2] times columns [-2y; |y|^2; 1] is |x|^2 + |y|^2 - 2 x.y with the norms folded in,
 * so a block costs one product and no elementwise pass. Each value is within {@link #slack()} of
 * {@link Vectors#dist2} of the same pair; callers keep the pairs a widened test admits and decide
 * them with dist2, so their answers are the scalar ones bit for bit.
 */
final class PairDistances implements AutoCloseable {
    private final int e;
    /** n x (d + 2), row-major: x, 1, |x|^2 (kept in Java too, for gathered rows). */
    private final float[] rowsAug;
    private final NDManager manager;
    private final NDArray rows;
    private final NDArray cols;
    private final double slack;

    PairDistances(float[] x, int n, int d) {
        this.e = d + 2;
        // (d + 1) x n: -2y and |y|^2 per column; then a row of ones for the rows' norms
        float[] cols = Arrays.copyOf(Nearest.augmented(x, IntStream.range(0, n).toArray(), d), e * n);
        Arrays.fill(cols, (d + 1) * n, e * n, 1f);
        rowsAug = new float[e * n];
        float maxSq = 0;
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * d, rowsAug, i * e, d);
            float sq = cols[d * n + i];
            rowsAug[i * e + d] = 1f;
            rowsAug[i * e + d + 1] = sq;
            maxSq = Math.max(maxSq, sq);
        }
        this.slack = Nearest.roundingScale(d) * 2 * (double) maxSq;
        this.manager = Tensors.manager();
        this.rows = manager.create(rowsAug, new Shape(n, e));
        this.cols = manager.create(cols, new Shape(e, n));
    }

    /**
     * False when the norms are so large that the expanded form could overflow (the values would be
     * infinite or NaN and no widened test could be trusted); the caller then compares in plain Java.
     */
    boolean usable() {
        return slack < 1e30;
    }

    /** The bound on |value - dist2| for every pair. */
    double slack() {
        return slack;
    }

    /**
     * Rows [i0, i1) against columns [j0, j1), an (i1 - i0) x (j1 - j0) array handed to {@code use}
     * and closed after it.
     */
    void block(int i0, int i1, int j0, int j1, Consumer<NDArray> use) {
        try (NDManager sub = manager.newSubManager()) {
            use.accept(rows.get(sub, new NDIndex(i0 + ":" + i1)).matMul(columns(sub, j0, j1)));
        }
    }

    /** The given rows (any order) against columns [j0, j1), the same way. */
    void block(int[] which, int j0, int j1, Consumer<NDArray> use) {
        float[] a = new float[which.length * e];
        for (int r = 0; r < which.length; r++) {
            System.arraycopy(rowsAug, which[r] * e, a, r * e, e);
        }
        try (NDManager sub = manager.newSubManager()) {
            use.accept(sub.create(a, new Shape(which.length, e)).matMul(columns(sub, j0, j1)));
        }
    }

    /**
     * A block's values, row-major, as a view of PyTorch's memory (valid while the block is): no
     * copy, which measured slower than the product itself. Scanning them in Java measured faster
     * than thresholding and extracting indices in PyTorch.
     */
    static FloatBuffer values(NDArray block) {
        return block.toByteBuffer(true).asFloatBuffer();
    }

    private NDArray columns(NDManager sub, int j0, int j1) {
        return cols.get(sub, new NDIndex(":, " + j0 + ":" + j1));
    }

    /** The smallest float at or above v: a widened threshold that rounding cannot narrow. */
    static float up(double v) {
        float f = (float) v;
        return f < v ? Math.nextUp(f) : f;
    }

    /** The largest float at or below v. */
    static float down(double v) {
        float f = (float) v;
        return f > v ? Math.nextDown(f) : f;
    }

    @Override
    public void close() {
        manager.close();
    }
}
