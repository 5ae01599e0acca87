package dev.winnow.sampling.io;

import java.util.List;

/** Shards stacked by rows in part order, read as one matrix. */
public final class ConcatMatrix implements Matrix {
    private final Matrix[] parts;
    private final long[] starts;
    private final long rows;
    private final int cols;

    public ConcatMatrix(List<Matrix> parts) {
        this.parts = parts.toArray(Matrix[]::new);
        this.starts = new long[this.parts.length];
        long r = 0;
        for (int i = 0; i < this.parts.length; i++) {
            starts[i] = r;
            r += this.parts[i].rows();
        }
        this.rows = r;
        this.cols = this.parts[0].cols();
    }

    /** One part stays as it is; several become a ConcatMatrix. */
    public static Matrix of(List<Matrix> parts) {
        return parts.size() == 1 ? parts.get(0) : new ConcatMatrix(parts);
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    private int part(long row) {
        int lo = 0;
        int hi = parts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= row) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    @Override
    public void read(long row, int n, float[] dst, int off) {
        int p = part(row);
        while (n > 0) {
            long local = row - starts[p];
            int take = (int) Math.min(n, parts[p].rows() - local);
            if (take > 0) {
                parts[p].read(local, take, dst, off);
                row += take;
                n -= take;
                off += take * cols;
            }
            p++;
        }
    }

    @Override
    public String where(long row) {
        int p = part(row);
        return parts[p].where(row - starts[p]);
    }

    @Override
    public String source() {
        return parts[0].source();
    }
}
