package dev.winnow.sampling.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.sampling.Npy;
import dev.winnow.sampling.SamplingException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyReadTest {
    @TempDir
    Path dir;

    private static final float[] DATA = {0.1f, 0.9f, 0.25f, 0.75f, 1f, 0f};

    private float[] readAll(Path f) {
        Matrix m = NpyHeader.read(f, f.toString()).matrix();
        assertEquals(3, m.rows());
        assertEquals(2, m.cols());
        float[] out = new float[6];
        m.read(0, 3, out, 0);
        return out;
    }

    @Test
    void readsFloat32AndFloat64InBothByteOrders() throws Exception {
        for (String descr : new String[] {"<f4", ">f4", "<f8", ">f8"}) {
            Path f = dir.resolve(descr.replace('<', 'l').replace('>', 'b') + ".npy");
            Npy.write(f, descr, false, DATA, 3, 2);
            assertArrayEquals(DATA, readAll(f), descr);
        }
    }

    @Test
    void readsRowsFromTheMiddle() {
        Path f = dir.resolve("a.npy");
        Npy.write(f, "<f4", false, DATA, 3, 2);
        float[] out = new float[2];
        NpyHeader.read(f, "a").matrix().read(1, 1, out, 0);
        assertArrayEquals(new float[] {0.25f, 0.75f}, out);
    }

    @Test
    void rejectsFortranOrderOtherDtypesAndTruncation() throws Exception {
        Path f = dir.resolve("f.npy");
        Npy.write(f, "<f4", true, DATA, 3, 2);
        assertTrue(assertThrows(SamplingException.class, () -> NpyHeader.read(f, "f.npy"))
                .getMessage().contains("Fortran order"));
        Path i = dir.resolve("i.npy");
        Npy.write(i, "|u1", false, DATA, 3, 2);
        assertTrue(assertThrows(SamplingException.class, () -> NpyHeader.read(i, "i.npy"))
                .getMessage().contains("dtype |u1"));
        Path t = dir.resolve("t.npy");
        Npy.write(t, "<f4", false, DATA, 3, 2);
        byte[] b = Files.readAllBytes(t);
        Files.write(t, java.util.Arrays.copyOf(b, b.length - 4));
        assertTrue(assertThrows(SamplingException.class, () -> NpyHeader.read(t, "t.npy"))
                .getMessage().startsWith("t.npy: truncated"));
        Path x = dir.resolve("x.npy");
        Files.writeString(x, "not numpy at all");
        assertTrue(assertThrows(SamplingException.class, () -> NpyHeader.read(x, "x.npy"))
                .getMessage().contains("not a .npy"));
    }

    @Test
    void slicesThreeDimensionalArrays() {
        Path f = dir.resolve("mc.npy");
        float[] v = new float[2 * 3 * 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        Npy.write(f, "<f4", false, v, 2, 3, 2);
        float[] out = new float[6];
        NpyHeader.read(f, "mc").slice(1).read(0, 3, out, 0);
        assertArrayEquals(new float[] {6, 7, 8, 9, 10, 11}, out);
    }
}
