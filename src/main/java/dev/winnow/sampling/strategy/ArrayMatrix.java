package dev.winnow.sampling.strategy;

import dev.winnow.sampling.io.Matrix;

/** A row-major float array seen as a matrix (centres, which live in memory). */
final class ArrayMatrix implements Matrix {
    private final float[] a;
    private final int rows;
    private final int cols;

    ArrayMatrix(float[] a, int rows, int cols) {
        this.a = a;
        this.rows = rows;
        this.cols = cols;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public void read(long row, int n, float[] dst, int off) {
        System.arraycopy(a, Math.toIntExact(row * cols), dst, off, n * cols);
    }

    @Override
    public String where(long row) {
        return "centre " + row;
    }

    @Override
    public String source() {
        return "centres";
    }
}
