package dev.winnow.sampling.strategy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.winnow.sampling.io.Matrix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.function.IntToDoubleFunction;

/**
 * Incremental k-center state over the rows of an embedding matrix: for every row the squared
 * Euclidean distance to its nearest centre and which centre that is, O(N) besides the data.
 *
 * <p>Adding a centre c updates every row. Two ways, chosen per step:
 * <ul>
 * <li>dense: the product X.c on DJL (BLAS, or the GPU), then |x|^2 - 2 x.c + |c|^2 and the
 * minimum in a Java loop. Scalar Java runs about ten times slower than BLAS here. The products
 * are made ahead for the rows likely to be picked next ({@link Batch}).</li>
 * <li>pruned: with a a row's nearest centre, |x - c| >= |c - a| - |x - a|, so
 * |c - a|^2 >= 4 |x - a|^2 proves c is no closer and the row is skipped unread. Only the
 * distances from c to the centres (one small product) and the surviving rows are computed.
 * On clustered embeddings, what trained networks produce, that skips nearly every row.</li>
 * </ul>
 * When a pruned step skips fewer than 80% of the rows the next steps go dense, 32 of them and
 * twice as many after each further failure, so unclustered data pays almost nothing for trying.
 */
final class KCenter implements AutoCloseable {
    private static final int FIRST_PAUSE = 32;

    private final Matrix x;
    private final int n;
    private final int d;
    private final float[] md;
    private final int[] owner;
    private final float[] sq;
    private final BitSet taken;
    private final NDManager nd;
    private NDArray xs;
    private NDArray centresNd;
    private float[] centres;
    private float[] csq;
    private int[] centreRows = new int[16];
    private final Batch batch = new Batch();
    private int count;
    private int pausedUntil;
    private int pause = FIRST_PAUSE;
    private int steps;

    KCenter(Matrix x, BitSet excluded) {
        this.x = x;
        this.n = Math.toIntExact(x.rows());
        this.d = x.cols();
        this.md = new float[n];
        this.owner = new int[n];
        this.sq = new float[n];
        Arrays.fill(md, Float.POSITIVE_INFINITY);
        Arrays.fill(owner, -1);
        this.taken = (BitSet) excluded.clone();
        this.centres = new float[16 * d];
        this.csq = new float[16];
        this.nd = Tensors.manager();
        Scan.blocks(n, (from, to) -> {
            float[] block = new float[(to - from) * d];
            x.read(from, to - from, block, 0);
            for (int i = from; i < to; i++) {
                sq[i] = (float) Vectors.dot(block, (i - from) * d, block, (i - from) * d, d);
            }
        });
    }

    // the rows go to the device on the first dense step; pruned runs never need them there
    private NDArray load() {
        ByteBuffer buf = ByteBuffer.allocateDirect(Math.multiplyExact(n, d) * 4).order(ByteOrder.nativeOrder());
        FloatBuffer fb = buf.asFloatBuffer();
        float[] block = new float[Scan.BLOCK * d];
        for (int from = 0; from < n; from += Scan.BLOCK) {
            int b = Math.min(Scan.BLOCK, n - from);
            x.read(from, b, block, 0);
            fb.put(block, 0, b * d);
        }
        buf.rewind();
        return nd.create(buf, new Shape(n, d), ai.djl.ndarray.types.DataType.FLOAT32);
    }

    /** Makes these rows centres at once (the already-labeled ones); they are never chosen. */
    void seed(int[] rows) {
        if (rows.length == 0) {
            return;
        }
        for (int r : rows) {
            append(r);
        }
        Nearest.assign(x, centres, count, owner, md);
    }

    private int append(int row) {
        if (count * d == centres.length) {
            centres = Arrays.copyOf(centres, centres.length * 2);
            csq = Arrays.copyOf(csq, csq.length * 2);
            if (centresNd != null) {
                centresNd.close();
                centresNd = null;
            }
        }
        int j = count++;
        if (j == centreRows.length) {
            centreRows = Arrays.copyOf(centreRows, j * 2);
        }
        centreRows[j] = row;
        x.read(row, 1, centres, j * d);
        csq[j] = sq[row];
        taken.set(row);
        if (centresNd != null) {
            centresNd.set(new NDIndex(j), nd.create(Arrays.copyOfRange(centres, j * d, (j + 1) * d)));
        }
        return j;
    }

    /** Squared distance of a row to its nearest centre (+inf when there is none yet). */
    float distance2(int row) {
        return md[row];
    }

    /**
     * The untaken row with the largest value, ties by the seed; -1 when none is left. One
     * thread, like the other per-step loops: they are cheap next to a product, and right after
     * one PyTorch's OpenMP workers still spin on the cores.
     */
    int argmax(IntToDoubleFunction value, TieBreak tie) {
        int arg = -1;
        double v = 0;
        for (int i = taken.nextClearBit(0); i < n; i = taken.nextClearBit(i + 1)) {
            double s = value.applyAsDouble(i);
            if (arg < 0 || s > v || (s == v && tie.before(i, arg))) {
                arg = i;
                v = s;
            }
        }
        return arg;
    }

    /**
     * {@code argmax(i -> distance2(i), tie)} without a call per row: on data that cannot be pruned it runs
     * once per pick over every row, and walking the free bits of {@code taken} a word at a time costs a
     * fraction of {@link BitSet#nextClearBit} per row.
     */
    int farthest(TieBreak tie) {
        long[] words = taken.toLongArray();
        int arg = -1;
        float v = 0;
        for (int w = 0, base = 0; base < n; w++, base += 64) {
            long free = w < words.length ? ~words[w] : -1L;
            if (n - base < 64) {
                free &= (1L << (n - base)) - 1;
            }
            for (; free != 0; free &= free - 1) {
                int i = base + Long.numberOfTrailingZeros(free);
                float s = md[i];
                if (arg < 0 || s > v || (s == v && tie.before(i, arg))) {
                    arg = i;
                    v = s;
                }
            }
        }
        return arg;
    }

    /** Adds a row as a centre and updates every row's nearest centre. */
    void add(int row) {
        int j = append(row);
        steps++;
        if (j > 0 && steps >= pausedUntil) {
            // an exact distance in Java costs several BLAS rows: prune only when it skips most
            if (pruned(j) < n * 0.8) {
                pausedUntil = steps + pause;
                pause *= 2;
            } else {
                pause = FIRST_PAUSE;
            }
        } else {
            dense(j);
        }
    }

    private NDArray centreRow(int j) {
        return nd.create(Arrays.copyOfRange(centres, j * d, (j + 1) * d));
    }

    private void dense(int j) {
        float[] dots = batch.dots(centreRows[j]);
        int at = batch.offset(centreRows[j]);
        float cs = csq[j];
        // one thread: the loop is cheap next to the product, and PyTorch's OpenMP workers are
        // still spinning on the cores right after it
        for (int i = 0; i < n; i++) {
            float v = Math.max(0f, sq[i] - 2 * dots[at + i] + cs);
            if (v < md[i]) {
                md[i] = v;
                owner[i] = j;
            }
        }
    }

    /**
     * The products X.c of the rows most likely to be picked next, made in one pass over X. A dense step reads all
     * of X (memory-bound: a 100,000 x 256 matrix-vector product is 100 MB read for 25 M multiply-adds), while
     * a product with a few columns costs about as much as one. After a pick, the next farthest row is usually
     * one that was already among the farthest, so most picks find their products here; a pick that does not
     * starts a new batch with itself first. Every distance is still computed from its own product, so the
     * picks are the greedy's own.
     */
    private final class Batch {
        // up to 64 columns, and no more than 16 M products held (64 MB)
        private final int width = Math.max(1, Math.min(64, (1 << 24) / Math.max(1, n)));
        private int[] rows = new int[0];
        private float[] dots;

        float[] dots(int row) {
            if (offset(row) < 0) {
                fill(row);
            }
            return dots;
        }

        int offset(int row) {
            for (int b = 0; b < rows.length; b++) {
                if (rows[b] == row) {
                    return b * n;
                }
            }
            return -1;
        }

        private void fill(int row) {
            if (xs == null) {
                xs = load();
            }
            rows = candidates(row);
            float[] c = new float[rows.length * d];
            for (int b = 0; b < rows.length; b++) {
                x.read(rows[b], 1, c, b * d);
            }
            // the candidates times X transposed (a view: BLAS reads X as it lies) gives the B x n answer laid out by
            // candidate, as the update loops read it, copied out of PyTorch's memory once
            try (NDArray cn = nd.create(c, new Shape(rows.length, d)); NDArray xt = xs.transpose();
                    NDArray p = cn.matMul(xt)) {
                dots = new float[rows.length * n];
                p.toByteBuffer(true).asFloatBuffer().get(dots);
            }
        }

        /** The row, then the untaken rows farthest from their centres (those the next picks will come from). */
        private int[] candidates(int row) {
            int[] heap = new int[width - 1]; // min-heap by md of the farthest rows seen
            int size = 0;
            long[] words = taken.toLongArray();
            for (int i = 0; i < n; i++) {
                int w = i >>> 6;
                if (i == row || (w < words.length && (words[w] & (1L << i)) != 0)) {
                    continue;
                }
                if (size < heap.length) {
                    heap[size++] = i;
                    siftUp(heap, size - 1);
                } else if (md[i] > md[heap[0]]) {
                    heap[0] = i;
                    siftDown(heap, size);
                }
            }
            int[] all = new int[size + 1];
            all[0] = row;
            System.arraycopy(heap, 0, all, 1, size);
            return all;
        }

        private void siftUp(int[] h, int k) {
            while (k > 0 && md[h[(k - 1) / 2]] > md[h[k]]) {
                swap(h, k, (k - 1) / 2);
                k = (k - 1) / 2;
            }
        }

        private void siftDown(int[] h, int size) {
            for (int k = 0; ; ) {
                int l = 2 * k + 1;
                int m = l + 1 < size && md[h[l + 1]] < md[h[l]] ? l + 1 : l;
                if (l >= size || md[h[k]] <= md[h[m]]) {
                    return;
                }
                swap(h, k, m);
                k = m;
            }
        }

        private void swap(int[] h, int a, int b) {
            int t = h[a];
            h[a] = h[b];
            h[b] = t;
        }
    }

    private long pruned(int j) {
        if (centresNd == null) {
            centresNd = nd.create(centres, new Shape(csq.length, d));
        }
        float[] dots;
        try (NDArray c = centreRow(j); NDArray known = centresNd.get("0:" + j); NDArray p = known.matMul(c)) {
            dots = p.toFloatArray();
        }
        float cs = csq[j];
        float[] buf = new float[d];
        long skip = 0;
        for (int i = 0; i < n; i++) {
            int a = owner[i];
            // a tiny slack keeps rounding in the expanded form from skipping a row that ties
            if (a >= 0 && a < j && csq[a] - 2 * dots[a] + cs > 4.0001f * md[i]) {
                skip++;
                continue;
            }
            x.read(i, 1, buf, 0);
            float v = Vectors.dist2(buf, 0, centres, j * d, d);
            if (v < md[i]) {
                md[i] = v;
                owner[i] = j;
            }
        }
        return skip;
    }

    @Override
    public void close() {
        nd.close();
    }
}
