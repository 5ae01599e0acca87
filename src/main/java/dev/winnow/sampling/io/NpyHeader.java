package dev.winnow.sampling.io;

import dev.winnow.sampling.SamplingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The header of a .npy file (NumPy format versions 1 to 3): dtype, memory order, shape and
 * where the data starts. Only float32 and float64 in C order are accepted, because those are
 * what trainers write with numpy.save and what can be mapped without a copy. The format is
 * kept here only: the worker writes its outputs with {@link #float32} and reads them back with
 * {@link #read(InputStream, String)}.
 */
public record NpyHeader(Path file, String name, DType dtype, long[] shape, long dataOffset) {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** The element types Winnow reads. */
    public enum DType {
        F4_LE(4, ByteOrder.LITTLE_ENDIAN), F4_BE(4, ByteOrder.BIG_ENDIAN),
        F8_LE(8, ByteOrder.LITTLE_ENDIAN), F8_BE(8, ByteOrder.BIG_ENDIAN);

        private final int bytes;
        private final ByteOrder order;

        DType(int bytes, ByteOrder order) {
            this.bytes = bytes;
            this.order = order;
        }

        public int bytes() {
            return bytes;
        }

        public ByteOrder order() {
            return order;
        }
    }

    /** Reads and checks the header; name is how errors refer to the file. */
    public static NpyHeader read(Path file, String name) {
        try (InputStream in = Files.newInputStream(file)) {
            NpyHeader h = read(in, file, name);
            long need = h.dataOffset + h.elements() * h.dtype.bytes;
            long size = Files.size(file);
            if (size < need) {
                throw new SamplingException(name + ": truncated: shape " + h.shapeText() + " needs "
                        + need + " bytes, file has " + size);
            }
            return h;
        } catch (NoSuchFileException e) {
            throw new SamplingException(name + ": not found");
        } catch (IOException e) {
            throw new SamplingException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads and checks the header at the start of a stream and leaves the stream at the first data
     * byte, for readers that take the data whole rather than mapping a file. The result has no
     * file, so it gives the dtype and shape but cannot {@link #matrix} or {@link #slice}.
     */
    public static NpyHeader read(InputStream in, String name) throws IOException {
        return read(in, null, name);
    }

    private static NpyHeader read(InputStream in, Path file, String name) throws IOException {
        byte[] head = in.readNBytes(10);
        if (head.length < 10 || (head[0] & 0xff) != 0x93
                || !new String(head, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            throw new SamplingException(name + ": not a .npy file (bad magic)");
        }
        int major = head[6];
        long len;
        int prefix;
        if (major == 1) {
            len = (head[8] & 0xff) | (head[9] & 0xff) << 8;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            byte[] more = in.readNBytes(2);
            if (more.length < 2) {
                throw new SamplingException(name + ": truncated .npy header");
            }
            len = (head[8] & 0xffL) | (head[9] & 0xffL) << 8 | (more[0] & 0xffL) << 16 | (more[1] & 0xffL) << 24;
            prefix = 12;
        } else {
            throw new SamplingException(name + ": unsupported .npy version " + major);
        }
        // at most 1 MiB of dict: a corrupt length must not allocate gigabytes
        byte[] dict = in.readNBytes((int) Math.min(len, 1 << 20));
        String text = new String(dict, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return parse(file, name, text, prefix + len);
    }

    /**
     * The header numpy.save writes for a C-order little-endian float32 array of this shape (format
     * 1.0), padded so the data starts at a multiple of 64 bytes.
     */
    public static byte[] float32(long... shape) {
        String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
        if (shape.length == 1) {
            dims += ",";
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = 10 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        String padded = dict + " ".repeat(total - unpadded) + "\n";
        ByteBuffer header = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        header.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        header.putShort((short) padded.length());
        header.put(padded.getBytes(StandardCharsets.US_ASCII));
        return header.array();
    }

    private static NpyHeader parse(Path file, String name, String dict, long offset) {
        Matcher d = DESCR.matcher(dict);
        Matcher f = FORTRAN.matcher(dict);
        Matcher s = SHAPE.matcher(dict);
        if (!d.find() || !f.find() || !s.find()) {
            throw new SamplingException(name + ": unreadable .npy header: " + dict.trim());
        }
        DType dtype = switch (d.group(1)) {
            case "<f4" -> DType.F4_LE;
            case ">f4" -> DType.F4_BE;
            case "<f8" -> DType.F8_LE;
            case ">f8" -> DType.F8_BE;
            default -> throw new SamplingException(name + ": dtype " + d.group(1)
                    + " is not supported; write float32 or float64");
        };
        if (f.group(1).equals("True")) {
            throw new SamplingException(name + ": Fortran order is not supported; save a C-order array"
                    + " (numpy.ascontiguousarray)");
        }
        long[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        return new NpyHeader(file, name, dtype, shape, offset);
    }

    public long elements() {
        long n = 1;
        for (long x : shape) {
            n *= x;
        }
        return n;
    }

    public String shapeText() {
        return Arrays.toString(shape).replace('[', '(').replace(']', ')');
    }

    /** The whole file as a rows x cols matrix; it must be two-dimensional. */
    public Matrix matrix() {
        if (shape.length != 2) {
            throw new SamplingException(name + ": expected 2 dimensions, got shape " + shapeText());
        }
        return new NpyMatrix(file, name, dataOffset, shape[0], Math.toIntExact(shape[1]), dtype);
    }

    /** Slice t of a [T, N, C] array as an N x C matrix. */
    public Matrix slice(int t) {
        if (shape.length != 3) {
            throw new SamplingException(name + ": expected 3 dimensions [T, N, C], got shape " + shapeText());
        }
        long per = shape[1] * shape[2] * dtype.bytes;
        return new NpyMatrix(file, name + "[" + t + "]", dataOffset + t * per, shape[1],
                Math.toIntExact(shape[2]), dtype);
    }
}
