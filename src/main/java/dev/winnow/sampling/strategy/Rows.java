package dev.winnow.sampling.strategy;

import dev.winnow.sampling.io.Matrix;

/** Some rows of a matrix, in a given order, seen as a matrix of their own. */
final class Rows implements Matrix {
    private final Matrix m;
    private final int[] rows;

    Rows(Matrix m, int[] rows) {
        this.m = m;
        this.rows = rows;
    }

    @Override
    public long rows() {
        return rows.length;
    }

    @Override
    public int cols() {
        return m.cols();
    }

    @Override
    public void read(long row, int n, float[] dst, int off) {
        for (int i = 0; i < n; i++) {
            m.read(rows[(int) row + i], 1, dst, off + i * m.cols());
        }
    }

    @Override
    public String where(long row) {
        return m.where(rows[(int) row]);
    }

    @Override
    public String source() {
        return m.source();
    }

    /** The whole view as one row-major array. */
    float[] toArray() {
        float[] a = new float[rows.length * m.cols()];
        read(0, rows.length, a, 0);
        return a;
    }
}
