package dev.winnow.worker.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.winnow.storage.FileStore;
import dev.winnow.worker.TestData;
import dev.winnow.worker.data.IdxSource;
import dev.winnow.worker.data.ImageShape;
import dev.winnow.worker.data.Pixels;

class ClassifierTest {

    @TempDir
    Path dir;

    /** The tiny synthetic set: class = position of the bright row, learnable in a few steps. */
    private IdxSource tiny(int train, int size) throws IOException {
        TestData.writeIdx(dir.resolve("idx"), train, 8, size, 4, false);
        return IdxSource.open(new FileStore(), TestData.dir(dir.resolve("idx")));
    }

    private static int[] truth(IdxSource source, List<String> ids) {
        return ids.stream().mapToInt(id -> source.groundTruth(id).getAsInt()).toArray();
    }

    @Test
    void savedParametersPredictTheSame() throws IOException {
        IdxSource source = tiny(64, 12);
        List<String> ids = source.poolIds();
        float[] pixels = Pixels.load(source, ids);
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        float[] expected;
        try (Classifier classifier = new Classifier(Architecture.CNN, source.shape(), 4, 1)) {
            classifier.fit(pixels, truth(source, ids), new Classifier.Options(2, 16, 1e-3f, 1));
            classifier.save(saved);
            expected = classifier.predict(pixels, 8, 0).probabilities();
        }
        try (Classifier loaded = new Classifier(Architecture.CNN, source.shape(), 4, 99)) {
            loaded.load(new ByteArrayInputStream(saved.toByteArray()));
            assertArrayEquals(expected, loaded.predict(pixels, 8, 0).probabilities(), 1e-5f);
        }
        try (Classifier other = new Classifier(Architecture.CNN, source.shape(), 5, 1)) {
            assertThrows(Exception.class, () -> other.load(new ByteArrayInputStream(saved.toByteArray())));
        }
    }

    @Test
    void resnet18TrainsAndEmbedsIn512Dimensions() throws IOException {
        IdxSource source = tiny(32, 16);
        List<String> ids = source.poolIds();
        try (Classifier classifier = new Classifier(Architecture.RESNET18, source.shape(), 4, 3)) {
            List<Double> losses = classifier.fit(Pixels.load(source, ids), truth(source, ids),
                    new Classifier.Options(2, 16, 1e-3f, 3));
            assertEquals(2, losses.size());
            assertTrue(losses.stream().allMatch(l -> Double.isFinite(l) && l > 0), losses.toString());
            Classifier.Prediction p = classifier.predict(Pixels.load(source, source.heldOutIds()), 8, 2);
            assertEquals(512, p.embeddingSize());
            assertEquals(8 * 512, p.embeddings().length);
            assertEquals(2, p.mcProbabilities().length);
        }
    }

    @Test
    void checkpointRoundTripsThroughAStore() throws IOException {
        IdxSource source = tiny(32, 8);
        FileStore store = new FileStore();
        var out = TestData.dir(dir.resolve("ckpt"));
        ModelMetadata metadata = new ModelMetadata(ModelMetadata.FORMAT, "cnn", List.of("a", "b", "c", "d"),
                List.of(1, 8, 8), 1, 32, List.of(1.2), Map.of("accuracy", 0.5));
        float[] pixels = Pixels.load(source, source.heldOutIds());
        float[] expected;
        try (Classifier classifier = new Classifier(Architecture.CNN, new ImageShape(1, 8, 8), 4, 5)) {
            Checkpoint.save(store, out, classifier, metadata);
            expected = classifier.predict(pixels, 8, 0).probabilities();
        }
        assertEquals(metadata, Checkpoint.metadata(store, out));
        assertEquals(metadata, Checkpoint.metadata(store, TestData.file(dir.resolve("ckpt/model.json"))));
        try (Classifier loaded = Checkpoint.load(store, out, metadata, 6)) {
            assertArrayEquals(expected, loaded.predict(pixels, 8, 0).probabilities(), 1e-5f);
        }
        assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.metadata(store, TestData.dir(dir.resolve("nothing"))));
    }
}
