package dev.winnow.worker.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.winnow.storage.FileStore;
import dev.winnow.worker.TestData;

class ImageSourcesTest {

    static final ClassList CLASSES = new ClassList(List.of("red", "blue"));

    @TempDir
    Path dir;

    @Test
    void classFoldersGiveIdsAndGroundTruth() throws IOException {
        TestData.image(dir.resolve("red/001.png"), 0xff0000, "png");
        TestData.image(dir.resolve("blue/001.jpg"), 0x0000ff, "jpg");
        Files.writeString(dir.resolve("README.txt"), "not an image");
        ImageFolderSource source = ImageFolderSource.open(new FileStore(), TestData.dir(dir), CLASSES, 16);
        assertEquals(List.of("blue/001", "red/001"), source.poolIds());
        assertEquals(0, source.groundTruth("red/001").getAsInt());
        assertEquals(new ImageShape(3, 16, 16), source.shape());
        float[] pixels = new float[3 * 16 * 16];
        source.read("red/001", pixels, 0);
        assertEquals(1f, pixels[5], 0.01f);            // red plane
        assertEquals(0f, pixels[256 + 5], 0.01f);      // green plane
        source.read("blue/001", pixels, 0);
        assertTrue(pixels[2 * 256 + 5] > 0.9f);        // blue plane, JPEG is lossy
        assertTrue(source.uriOf("red/001").orElseThrow().toString().endsWith("red/001.png"));
    }

    @Test
    void flatFolderHasNoGroundTruth() throws IOException {
        TestData.image(dir.resolve("000001.png"), 0xffffff, "png");
        ImageFolderSource source = ImageFolderSource.open(new FileStore(), TestData.dir(dir), CLASSES, 8);
        assertEquals(List.of("000001"), source.poolIds());
        assertTrue(source.groundTruth("000001").isEmpty());
    }

    @Test
    void manifestResolvesRelativeUris() throws IOException {
        TestData.image(dir.resolve("img/a.png"), 0x00ff00, "png");
        Files.writeString(dir.resolve("manifest.jsonl"), "{\"id\": \"sample-a\", \"uri\": \"img/a.png\"}\n");
        ManifestSource source = ManifestSource.open(new FileStore(), TestData.file(dir.resolve("manifest.jsonl")), 8);
        assertEquals(List.of("sample-a"), source.poolIds());
        float[] pixels = new float[3 * 64];
        source.read("sample-a", pixels, 0);
        assertEquals(1f, pixels[64 + 3], 0.01f);
    }
}
