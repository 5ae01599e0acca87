package dev.winnow.sampling.strategy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.winnow.sampling.io.Matrix;
import java.util.stream.IntStream;

/**
 * For rows of a matrix, the nearest of K centres and the squared distance to it. This is the
 * one place where a matrix product pays: with N x K x D large it is a GEMM, which DJL
 * (PyTorch's BLAS, or the GPU) runs far faster than Java loops. Each block computes
 * argmin_j (|c_j|^2 - 2 x.c_j) as a single product by appending a column of ones to x and
 * the column |c_j|^2 to -2C, then the distance to the winner is recomputed exactly in Java,
 * so distances do not suffer the cancellation of the expanded form. With many centres
 * {@link PivotNearest} first tries to prune the product exactly.
 */
final class Nearest {
    /** Below this many multiply-adds the JNI round trips cost more than they save. */
    static final long DJL_THRESHOLD = 50_000_000L;

    private Nearest() {
    }

    /** Fills owner[i] (0..k-1) and md[i] for every row i < x.rows(). */
    static void assign(Matrix x, float[] centres, int k, int[] owner, float[] md) {
        int n = Math.toIntExact(x.rows());
        int d = x.cols();
        if ((long) n * k * d >= DJL_THRESHOLD) {
            if (!PivotNearest.assign(x, centres, k, owner, false)) {
                withDjl(x, centres, k, owner);
            }
        } else {
            withJava(x, centres, k, owner);
        }
        Scan.blocks(n, (from, to) -> {
            float[] row = new float[d * (to - from)];
            x.read(from, to - from, row, 0);
            for (int i = from; i < to; i++) {
                md[i] = Vectors.dist2(row, (i - from) * d, centres, owner[i] * d, d);
            }
        });
    }

    static void withJavaForTest(Matrix x, float[] centres, int k, int[] owner) {
        withJava(x, centres, k, owner);
    }

    static void withDjlForTest(Matrix x, float[] centres, int k, int[] owner) {
        withDjl(x, centres, k, owner);
    }

    /** The pruned assignment; false when it judged pruning would not pay (unless forced). */
    static boolean withPivotsForTest(Matrix x, float[] centres, int k, int[] owner, boolean force) {
        return PivotNearest.assign(x, centres, k, owner, force);
    }

    /**
     * A bound, relative to |x|^2 + |c|^2, on how far an expanded-form squared distance of D-dimensional
     * float rows (one float GEMM with the norms folded in) and {@link Vectors#dist2} can each be from the
     * exact value: float sums of D terms err by at most about (D + 2) 2^-24 of their magnitude; this is 16
     * times that, which also covers the norms' own rounding and dist2's. Assumes float32 products
     * (PyTorch's default; not TF32).
     */
    static double roundingScale(int d) {
        return (d + 2) * 0x1p-20;
    }

    /**
     * Centres (some rows of {@code centres}) as the (D + 1) x m right operand: -2c and |c|^2 per
     * column, so one product gives |c|^2 - 2 x.c and needs no transpose copy.
     */
    static float[] augmented(float[] centres, int[] which, int d) {
        int m = which.length;
        float[] aug = new float[(d + 1) * m];
        for (int j = 0; j < m; j++) {
            int o = which[j] * d;
            double sq = 0;
            for (int t = 0; t < d; t++) {
                float v = centres[o + t];
                aug[t * m + j] = -2 * v;
                sq += (double) v * v;
            }
            aug[d * m + j] = (float) sq;
        }
        return aug;
    }

    private static void withJava(Matrix x, float[] centres, int k, int[] owner) {
        int n = Math.toIntExact(x.rows());
        int d = x.cols();
        Scan.blocks(n, (from, to) -> {
            float[] row = new float[d * (to - from)];
            x.read(from, to - from, row, 0);
            for (int i = from; i < to; i++) {
                float best = Float.POSITIVE_INFINITY;
                int arg = 0;
                for (int j = 0; j < k; j++) {
                    float v = Vectors.dist2(row, (i - from) * d, centres, j * d, d);
                    if (v < best) {
                        best = v;
                        arg = j;
                    }
                }
                owner[i] = arg;
            }
        });
    }

    private static void withDjl(Matrix x, float[] centres, int k, int[] owner) {
        int n = Math.toIntExact(x.rows());
        int d = x.cols();
        int e = d + 1;
        float[] aug = augmented(centres, IntStream.range(0, k).toArray(), d);
        // blocks of rows sized so the N_block x K product stays near 16 MB
        int block = (int) Math.max(64, Math.min(n, (4L << 20) / Math.max(1, k)));
        try (NDManager m = Tensors.manager()) {
            NDArray ct = m.create(aug, new Shape(e, k));
            float[] xa = new float[block * e];
            float[] raw = new float[block * d];
            for (int from = 0; from < n; from += block) {
                int b = Math.min(block, n - from);
                x.read(from, b, raw, 0);
                for (int i = 0; i < b; i++) {
                    System.arraycopy(raw, i * d, xa, i * e, d);
                    xa[i * e + d] = 1f;
                }
                try (NDManager sub = m.newSubManager()) {
                    NDArray xb = sub.create(xa, new Shape(block, e)).get("0:" + b);
                    long[] arg = xb.matMul(ct).argMin(1).toLongArray();
                    for (int i = 0; i < b; i++) {
                        owner[from + i] = (int) arg[i];
                    }
                }
            }
        }
    }
}
