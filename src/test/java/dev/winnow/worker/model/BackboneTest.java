package dev.winnow.worker.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.winnow.storage.FileStore;
import dev.winnow.storage.StorageException;
import dev.winnow.worker.TestData;
import dev.winnow.worker.data.IdxSource;
import dev.winnow.worker.data.Pixels;

/** A SimCLR encoder saved as a backbone and loaded into a classifier's feature layers. */
class BackboneTest {
    @TempDir
    Path dir;

    @Test
    void aLoadedBackboneEmbedsExactlyAsTheEncoderAndAMismatchIsAClearError() throws IOException {
        TestData.writeIdx(dir.resolve("idx"), 32, 4, 12, 2, false);
        FileStore store = new FileStore();
        IdxSource source = IdxSource.open(store, TestData.dir(dir.resolve("idx")));
        List<String> ids = source.poolIds();
        float[] pixels = Pixels.load(source, ids);
        URI backbone = TestData.dir(dir.resolve("encoder"));
        float[] expected;
        try (SimClr encoder = new SimClr(source.shape(), 8, 1)) {
            encoder.fit(pixels, ids.size(), new SimClr.Options(1, 16, 1e-3f, 0.5f, 1)); // batch norm statistics move too
            expected = encoder.embed(pixels, ids.size());
            Backbone.save(store, backbone, encoder, source.shape());
        }

        Backbone.Metadata metadata = Backbone.metadata(store, backbone);
        assertEquals(new Backbone.Metadata(Backbone.FORMAT, "simclr", 8, List.of(1, 12, 12)), metadata);
        try (Classifier classifier = Backbone.classifier(store, backbone, metadata, source.shape(), 2, 7)) {
            // the classifier's features are the encoder's: the same embeddings, to float precision
            assertArrayEquals(expected, classifier.predict(pixels, ids.size(), 0).embeddings(), 1e-5f);
        }

        // encoder.json claims 16 features, the parameters hold 8: the load says so rather than train on noise
        Files.writeString(dir.resolve("encoder/encoder.json"), Files.readString(dir.resolve("encoder/encoder.json"))
                .replace("\"dims\":8", "\"dims\":16"));
        Backbone.Metadata wrong = Backbone.metadata(store, backbone);
        StorageException e = assertThrows(StorageException.class,
                () -> Backbone.classifier(store, backbone, wrong, source.shape(), 2, 7));
        assertTrue(e.getMessage().contains("backbone parameters do not fit this network"), e.getMessage());

        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> Backbone.metadata(store, TestData.dir(dir.resolve("nothing"))));
        assertTrue(none.getMessage().contains("no Winnow encoder at"), none.getMessage());
    }
}
