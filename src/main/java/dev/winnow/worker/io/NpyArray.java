package dev.winnow.worker.io;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import dev.winnow.sampling.SamplingException;
import dev.winnow.sampling.io.NpyHeader;

/**
 * A float32 {@code .npy} array read whole into memory; for tests, checkpoints and small outputs
 * (the sampling library has its own chunked reader for large pools). The header is parsed by
 * that library's {@link NpyHeader}, so the format is read in one place.
 */
public record NpyArray(long[] shape, float[] data) {

    public static NpyArray read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        NpyHeader header;
        try {
            header = NpyHeader.read(in, ".npy");
        } catch (SamplingException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (header.dtype() != NpyHeader.DType.F4_LE) {
            throw new IOException("want little-endian float32 in C order, got " + header.dtype());
        }
        long[] shape = header.shape();
        long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        byte[] bytes = new byte[Math.toIntExact(count * Float.BYTES)];
        in.readFully(bytes);
        if (in.read() != -1) {
            throw new IOException("trailing bytes after " + count + " values");
        }
        float[] data = new float[(int) count];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        return new NpyArray(shape, data);
    }

    public float get(int... index) {
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            flat = flat * (int) shape[i] + index[i];
        }
        return data[flat];
    }
}
