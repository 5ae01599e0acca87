package dev.winnow.sampling.strategy;

import dev.winnow.sampling.SamplingException;
import dev.winnow.sampling.io.Matrix;
import dev.winnow.sampling.io.Probabilities;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * Row-wise passes over big matrices: blocks of rows on all cores, each block copied out of
 * the mapping into a per-thread buffer. Plain loops beat DJL here: the work per element is a
 * compare or an add, so the cost is reading memory once, which a JNI round trip per block
 * cannot improve on. Errors report the lowest bad row, so messages do not depend on threads.
 */
public final class Scan {
    static final int BLOCK = 4096;

    private Scan() {
    }

    /** A score of one row of probabilities. */
    public interface RowScore {
        double score(float[] a, int off, int n);
    }

    /** A score of one sample from its T MC-dropout rows, one per buffer at the same offset. */
    public interface McScore {
        double score(float[][] a, int off, int n);
    }

    private record Failure(long row, String message) {
    }

    /** Scores every row of a probability matrix, checking each is a distribution. */
    public static double[] probabilities(Matrix m, RowScore f) {
        int n = Math.toIntExact(m.rows());
        int c = m.cols();
        double[] out = new double[n];
        ThreadLocal<float[]> buf = ThreadLocal.withInitial(() -> new float[BLOCK * c]);
        Bad bad = new Bad();
        blocks(n, (from, to) -> {
            float[] a = buf.get();
            m.read(from, to - from, a, 0);
            for (int r = from; r < to; r++) {
                int off = (r - from) * c;
                String problem = Probabilities.check(a, off, c);
                if (problem != null) {
                    bad.report(r, m.where(r) + ": " + problem);
                    return;
                }
                out[r] = f.score(a, off, c);
            }
        });
        bad.raise();
        return out;
    }

    /** Scores every sample from T matrices of probabilities (MC dropout). */
    public static double[] mc(List<Matrix> ms, McScore f) {
        int n = Math.toIntExact(ms.get(0).rows());
        int c = ms.get(0).cols();
        int t = ms.size();
        double[] out = new double[n];
        ThreadLocal<float[][]> buf = ThreadLocal.withInitial(() -> new float[t][BLOCK * c]);
        Bad bad = new Bad();
        blocks(n, (from, to) -> {
            float[][] a = buf.get();
            for (int s = 0; s < t; s++) {
                ms.get(s).read(from, to - from, a[s], 0);
            }
            for (int r = from; r < to; r++) {
                int off = (r - from) * c;
                for (int s = 0; s < t; s++) {
                    String problem = Probabilities.check(a[s], off, c);
                    if (problem != null) {
                        bad.report(r, ms.get(s).where(r) + ": " + problem);
                        return;
                    }
                }
                out[r] = f.score(a, off, c);
            }
        });
        bad.raise();
        return out;
    }

    /** Rejects NaN and infinite embeddings, which would poison every distance. */
    public static void checkFinite(Matrix m) {
        int n = Math.toIntExact(m.rows());
        int c = m.cols();
        ThreadLocal<float[]> buf = ThreadLocal.withInitial(() -> new float[BLOCK * c]);
        Bad bad = new Bad();
        blocks(n, (from, to) -> {
            float[] a = buf.get();
            m.read(from, to - from, a, 0);
            int len = (to - from) * c;
            for (int i = 0; i < len; i++) {
                if (!Float.isFinite(a[i])) {
                    long r = from + i / c;
                    bad.report(r, m.where(r) + ": contains " + a[i]);
                    return;
                }
            }
        });
        bad.raise();
    }

    interface Block {
        void run(int from, int to);
    }

    /** Runs blocks of BLOCK rows in parallel on the common pool. */
    static void blocks(int n, Block b) {
        int count = (n + BLOCK - 1) / BLOCK;
        IntStream.range(0, count).parallel().forEach(i -> b.run(i * BLOCK, Math.min(n, (i + 1) * BLOCK)));
    }

    /** The lowest failing row wins, whatever order the blocks ran in. */
    private static final class Bad {
        private final AtomicLong row = new AtomicLong(Long.MAX_VALUE);
        private final AtomicReference<String> message = new AtomicReference<>();

        synchronized void report(long r, String m) {
            if (r < row.get()) {
                row.set(r);
                message.set(m);
            }
        }

        void raise() {
            if (message.get() != null) {
                throw new SamplingException(message.get());
            }
        }
    }
}
