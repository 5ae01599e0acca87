package dev.winnow.worker.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.winnow.storage.FileStore;
import dev.winnow.worker.TestData;

class IdxSourceTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsIdsPixelsAndGroundTruth(boolean gzip) throws IOException {
        TestData.writeIdx(dir, 12, 5, 8, 3, gzip);
        IdxSource source = IdxSource.open(new FileStore(), TestData.dir(dir));
        assertEquals(new ImageShape(1, 8, 8), source.shape());
        assertEquals(List.of("train-0", "train-1"), source.poolIds().subList(0, 2));
        assertEquals(12, source.poolIds().size());
        assertEquals("test-4", source.heldOutIds().get(4));
        assertEquals(2, source.groundTruth("train-5").getAsInt());
        assertEquals(1, source.groundTruth("test-4").getAsInt());
        float[] pixels = new float[64 + 1];
        source.read("train-1", pixels, 1);
        // class 1: the bright row is row 2
        assertEquals(1f, pixels[1 + 2 * 8 + 3]);
        assertTrue(pixels[1 + 0 * 8 + 3] < 0.2f);
    }

    @Test
    void unknownIdsAreRejected() throws IOException {
        TestData.writeIdx(dir, 4, 2, 8, 2, false);
        IdxSource source = IdxSource.open(new FileStore(), TestData.dir(dir));
        assertThrows(IllegalArgumentException.class, () -> source.groundTruth("train-4"));
        assertThrows(IllegalArgumentException.class, () -> source.read("cat/1", new float[64], 0));
    }

    @Test
    void missingFileIsNamed() throws IOException {
        TestData.writeIdx(dir, 4, 2, 8, 2, false);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdxSource.open(new FileStore(), TestData.dir(dir)));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte"), e.getMessage());
    }

    @Test
    void readsTheDebianFashionMnistFiles() {
        IdxSource source = IdxSource.open(new FileStore(), TestData.dir(TestData.FASHION));
        assertEquals(60000, source.poolIds().size());
        assertEquals(10000, source.heldOutIds().size());
        assertEquals(new ImageShape(1, 28, 28), source.shape());
        assertEquals(9, source.groundTruth("train-0").getAsInt()); // the first image is an ankle boot
    }
}
