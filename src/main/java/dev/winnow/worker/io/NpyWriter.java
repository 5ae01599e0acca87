package dev.winnow.worker.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import dev.winnow.sampling.io.NpyHeader;

/**
 * Streams a float32 array into NumPy's {@code .npy} format (version 1.0, little-endian, C order),
 * so Python trainers and {@code numpy.load} read Winnow's predictions unchanged. The shape is fixed
 * up front and checked on close: a short file is an error, not a silently truncated array.
 */
public final class NpyWriter implements AutoCloseable {

    private final OutputStream out;
    private final long expected;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private long written;

    public NpyWriter(Path file, long... shape) throws IOException {
        this(Files.newOutputStream(file), shape);
    }

    public NpyWriter(OutputStream out, long... shape) throws IOException {
        this.out = new BufferedOutputStream(out);
        this.expected = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        this.out.write(NpyHeader.float32(shape));
    }

    public void write(float[] values) throws IOException {
        write(values, 0, values.length);
    }

    public void write(float[] values, int offset, int length) throws IOException {
        if (written + length > expected) {
            throw new IOException("more values than the declared shape holds (" + expected + ")");
        }
        for (int i = offset; i < offset + length; i++) {
            if (buffer.remaining() < Float.BYTES) {
                flushBuffer();
            }
            buffer.putFloat(values[i]);
        }
        written += length;
    }

    private void flushBuffer() throws IOException {
        out.write(buffer.array(), 0, buffer.position());
        buffer.clear();
    }

    @Override
    public void close() throws IOException {
        try {
            flushBuffer();
            if (written != expected) {
                throw new IOException("wrote " + written + " values, the shape needs " + expected);
            }
        } finally {
            out.close();
        }
    }
}
