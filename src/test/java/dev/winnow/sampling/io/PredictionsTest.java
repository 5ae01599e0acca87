package dev.winnow.sampling.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.sampling.Npy;
import dev.winnow.sampling.SamplingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionsTest {
    @TempDir
    Path dir;

    @Test
    void concatenatesShardsInNumericPartOrder() {
        // part-10 must come after part-2, which a plain name sort gets wrong
        for (int p : new int[] {0, 2, 10}) {
            Path part = dir.resolve("part-" + p);
            Npy.ids(part.resolve("ids.txt"), List.of("s" + p + "a", "s" + p + "b"));
            Npy.write(part.resolve("probs.npy"), new float[][] {{p, 1 - p}, {p + 0.5f, 0.5f - p}});
        }
        Predictions pr = Predictions.open(dir);
        IdList ids = pr.ids();
        assertEquals(List.of("s0a", "s0b", "s2a", "s2b", "s10a", "s10b"),
                java.util.stream.IntStream.range(0, 6).mapToObj(ids::get).toList());
        Matrix m = pr.probs("margin");
        float[] out = new float[12];
        m.read(0, 6, out, 0);
        assertArrayEquals(new float[] {0, 1, 0.5f, 0.5f, 2, -1, 2.5f, -1.5f, 10, -9, 10.5f, -9.5f}, out);
        assertTrue(m.where(4).endsWith("part-10/probs.npy row 0"));
        assertTrue(ids.where(5).endsWith("part-10/ids.txt line 2"));
    }

    @Test
    void aShardWithTheWrongRowCountIsNamed() {
        for (int p = 0; p < 2; p++) {
            Path part = dir.resolve("part-" + p);
            Npy.ids(part.resolve("ids.txt"), List.of("a" + p, "b" + p));
            Npy.write(part.resolve("probs.npy"), p == 0 ? new float[][] {{1, 0}, {0, 1}} : new float[][] {{1, 0}});
        }
        SamplingException e = assertThrows(SamplingException.class, () -> Predictions.open(dir).probs("margin"));
        assertTrue(e.getMessage().contains("part-1/probs.npy: 1 rows, but"), e.getMessage());
    }

    @Test
    void idsAreCheckedForDuplicatesAndBlankLines() throws Exception {
        Files.writeString(dir.resolve("ids.txt"), "a\nb\na\n");
        SamplingException e = assertThrows(SamplingException.class, () -> Predictions.open(dir).ids());
        assertTrue(e.getMessage().contains("ids.txt line 3: duplicate id 'a' (first at "), e.getMessage());
        Files.writeString(dir.resolve("ids.txt"), "a\n\nb\n");
        e = assertThrows(SamplingException.class, () -> Predictions.open(dir).ids());
        assertTrue(e.getMessage().endsWith("ids.txt: line 2 is empty"), e.getMessage());
        Files.writeString(dir.resolve("ids.txt"), "a\r\nb\r\n\n");
        assertEquals(2, Predictions.open(dir).ids().size());
        assertEquals("b", Predictions.open(dir).ids().get(1));
    }

    @Test
    void rowsOfFindsExcludedIds() throws Exception {
        Npy.ids(dir.resolve("ids.txt"), Npy.ids("x", 100));
        IdList ids = Predictions.open(dir).ids();
        assertEquals(Set.of(3, 97), ids.rowsOf(Set.of("x3", "x97", "not-in-pool")).stream().boxed()
                .collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void readsDetectionsJsonlAlignedWithIds() throws Exception {
        Npy.ids(dir.resolve("ids.txt"), List.of("a", "b", "c"));
        Files.writeString(dir.resolve("detections.jsonl"), """
                {"id": "c", "width": 200, "height": 100, "boxes": [{"label": "car", "score": 0.9, "bbox": [10, 20, 30, 40]}]}
                {"id": "a", "boxes": [{"label": "cat", "score": 0.6, "probs": [0.6, 0.4], "bbox": [0, 0, 5, 5]}, {"label": "dog", "score": 0.3, "bbox": [1, 1, 2, 2]}]}
                """);
        Detections d = Predictions.open(dir).detections("margin");
        assertEquals(2, d.of(0).size());
        assertEquals(0, d.of(1).size());
        assertEquals("car", d.of(2).get(0).label());
        assertEquals(200, d.of(2).get(0).imageWidth());
        assertArrayEquals(new float[] {0.6f, 0.4f}, d.of(0).get(0).probs());
        Files.writeString(dir.resolve("detections.jsonl"), "{\"id\": \"zz\", \"boxes\": []}\n");
        SamplingException e = assertThrows(SamplingException.class, () -> Predictions.open(dir).detections("x"));
        assertTrue(e.getMessage().contains("detections.jsonl: id 'zz' is not in"), e.getMessage());
    }

    @Test
    void readsKittiWithConfidenceColumn() throws Exception {
        Path labels = dir.resolve("labels");
        Files.createDirectories(labels);
        Files.writeString(labels.resolve("img1.txt"),
                "car 0.00 0 0.00 10.0 20.0 30.0 40.0 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.87\n");
        Files.writeString(labels.resolve("img2.txt"), "");
        Predictions p = Predictions.open(dir);
        assertEquals(2, p.ids().size());
        Detections d = p.detections("margin");
        assertEquals("kitti", d.format());
        assertEquals(0.87, d.of(0).get(0).score(), 1e-9);
        assertArrayEquals(new double[] {10, 20, 30, 40}, d.of(0).get(0).bbox());
        assertTrue(d.of(1).isEmpty());
        Files.writeString(labels.resolve("img2.txt"), "car 0 0 0 1 2 3 4 0 0 0 0 0 0 0\n");
        SamplingException e = assertThrows(SamplingException.class, () -> Predictions.open(dir).detections("m"));
        assertTrue(e.getMessage().contains("img2.txt line 1: expected 16 columns"), e.getMessage());
    }
}
