package dev.winnow.sampling.io;

/**
 * A two-dimensional float array read a block of rows at a time, so a caller never needs the
 * whole array in memory. Implementations are safe for concurrent reads.
 */
public interface Matrix {
    long rows();

    int cols();

    /** Copies rows [row, row + n) into dst starting at off, row-major, as float32. */
    void read(long row, int n, float[] dst, int off);

    /** Where a row lives, for error messages: "dir/part-1/probs.npy row 17". */
    String where(long row);

    /** The file (or first file) behind the matrix, for error messages. */
    String source();
}
