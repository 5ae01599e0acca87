package dev.winnow.sampling.io;

import dev.winnow.sampling.SamplingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a .npy file (NumPy format versions 1 to 3): dtype, memory order, shape and
 * where the data starts. Only float32 and float64 in C order are accepted, because those are
 * what trainers write with numpy.save and what can be mapped without a copy.
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
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(12);
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
                if (head.length < 12) {
                    throw new SamplingException(name + ": truncated .npy header");
                }
                len = (head[8] & 0xffL) | (head[9] & 0xffL) << 8 | (head[10] & 0xffL) << 16 | (head[11] & 0xffL) << 24;
                prefix = 12;
            } else {
                throw new SamplingException(name + ": unsupported .npy version " + major);
            }
            byte[] rest = in.readNBytes((int) Math.min(len - (head.length - prefix), 1 << 20));
            byte[] all = new byte[head.length - prefix + rest.length];
            System.arraycopy(head, prefix, all, 0, head.length - prefix);
            System.arraycopy(rest, 0, all, head.length - prefix, rest.length);
            String dict = new String(all, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            NpyHeader h = parse(file, name, dict, prefix + len);
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
