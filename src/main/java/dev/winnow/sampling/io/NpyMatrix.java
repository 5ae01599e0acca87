package dev.winnow.sampling.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A row-major block of a .npy file, memory-mapped in windows of whole rows. Each window is
 * below 1 GiB because one mapping cannot exceed 2 GiB; mapping only reserves address space,
 * so a 2,000,000 x 100 matrix costs page cache, not heap.
 */
public final class NpyMatrix implements Matrix {
    private static final long WINDOW_BYTES = 1L << 30;

    private final String name;
    private final long rows;
    private final int cols;
    private final boolean float64;
    private final long rowsPerWindow;
    private final FloatBuffer[] floats;
    private final DoubleBuffer[] doubles;

    /** Maps rows x cols elements of a file starting at byte offset. */
    NpyMatrix(Path file, String name, long offset, long rows, int cols, NpyHeader.DType dtype) {
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.float64 = dtype.bytes() == 8;
        long rowBytes = (long) cols * dtype.bytes();
        this.rowsPerWindow = Math.max(1, WINDOW_BYTES / Math.max(1, rowBytes));
        int windows = (int) ((rows + rowsPerWindow - 1) / rowsPerWindow);
        floats = new FloatBuffer[float64 ? 0 : windows];
        doubles = new DoubleBuffer[float64 ? windows : 0];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int w = 0; w < windows; w++) {
                long first = w * rowsPerWindow;
                long n = Math.min(rowsPerWindow, rows - first);
                ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, offset + first * rowBytes, n * rowBytes)
                        .order(dtype.order());
                if (float64) {
                    doubles[w] = b.asDoubleBuffer();
                } else {
                    floats[w] = b.asFloatBuffer();
                }
            }
        } catch (IOException e) {
            throw new dev.winnow.sampling.SamplingException(name + ": cannot map: " + e.getMessage(), e);
        }
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
        while (n > 0) {
            int w = (int) (row / rowsPerWindow);
            long inWindow = row - w * rowsPerWindow;
            int take = (int) Math.min(n, rowsPerWindow - inWindow);
            int index = (int) (inWindow * cols);
            int len = take * cols;
            if (float64) {
                double[] tmp = new double[len];
                doubles[w].get(index, tmp, 0, len);
                for (int i = 0; i < len; i++) {
                    dst[off + i] = (float) tmp[i];
                }
            } else {
                floats[w].get(index, dst, off, len);
            }
            row += take;
            n -= take;
            off += len;
        }
    }

    @Override
    public String where(long row) {
        return name + " row " + row;
    }

    @Override
    public String source() {
        return name;
    }
}
