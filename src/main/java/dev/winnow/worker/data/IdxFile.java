package dev.winnow.worker.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** One IDX file (MNIST's format): big-endian magic, dimensions, then unsigned bytes. */
final class IdxFile {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    final int[] dims;
    final byte[] data;

    private IdxFile(int[] dims, byte[] data) {
        this.dims = dims;
        this.data = data;
    }

    int count() {
        return dims[0];
    }

    /** Reads a whole file; gzip is recognised by its magic bytes, not by the name. */
    static IdxFile read(Path file, int expectedMagic) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(open(file), 1 << 16))) {
            int[] dims = header(in, expectedMagic, file);
            long size = 1;
            for (int d : dims) {
                size *= d;
            }
            byte[] data = new byte[Math.toIntExact(size)];
            in.readFully(data);
            return new IdxFile(dims, data);
        }
    }

    /** Only the dimensions (count first), without reading the data (for {@code index}). */
    static int[] dims(Path file, int expectedMagic) throws IOException {
        try (DataInputStream in = new DataInputStream(open(file))) {
            return header(in, expectedMagic, file);
        }
    }

    private static int[] header(DataInputStream in, int expectedMagic, Path file) throws IOException {
        int magic = in.readInt();
        if (magic != expectedMagic) {
            throw new IOException(file.getFileName() + ": IDX magic " + Integer.toHexString(magic)
                    + ", expected " + Integer.toHexString(expectedMagic));
        }
        int[] dims = new int[magic & 0xff];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = in.readInt();
        }
        return dims;
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
    }
}
