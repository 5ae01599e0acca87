package dev.winnow.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.Dataset;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoManifestsTest {
    @TempDir
    Path dir;

    @Test
    void theBundledExampleIsAClusterManifestOfTheApiTypes() throws Exception {
        List<ObjectNode> docs = DemoSession.manifests(null);
        assertEquals(List.of("Dataset", "ActiveLearningLoop"), docs.stream().map(d -> d.get("kind").asText()).toList());
        Dataset ds = Serialization.unmarshal(docs.get(0).toString(), Dataset.class);
        assertTrue(ds.getSpec().storage.s3.endpoint.startsWith("http://minio"));
        ActiveLearningLoop loop = Serialization.unmarshal(docs.get(1).toString(), ActiveLearningLoop.class);
        assertEquals("Margin", loop.getSpec().round.selection.strategy.name.name());
        // the file in the repository is the one in the jar
        assertEquals(DemoManifests.read(Files.newInputStream(Path.of("examples/fashion-mnist/loop.yaml"))), docs);
    }

    @Test
    void rewritesStorageLabelingAndTheLoopsSettings() throws Exception {
        var s = new DemoManifests.Settings(dir, Path.of("/data/fmnist"), 3, 200, "typiclust", 150, "least-confidence", 1L, false);
        List<ObjectNode> out = DemoManifests.rewrite(DemoSession.manifests(null), s);
        Dataset ds = Serialization.unmarshal(out.get(0).toString(), Dataset.class);
        assertEquals("file:///data/fmnist/", ds.getSpec().source.uri);
        assertEquals(dir.toUri() + "labels/", ds.getSpec().labels.uri);
        assertEquals(dir.toUri() + "artifacts/", ds.getSpec().artifacts.uri);
        assertEquals(null, ds.getSpec().storage);
        assertEquals("default", ds.getMetadata().getNamespace());
        ActiveLearningLoop loop = Serialization.unmarshal(out.get(1).toString(), ActiveLearningLoop.class);
        assertEquals(3, loop.getSpec().stopWhen.maxRounds);
        assertEquals(0.85, loop.getSpec().stopWhen.metric.atLeast, "the manifest's other stop conditions stay");
        assertEquals(200, loop.getSpec().initialSelection.count);
        assertEquals("TypiClust", loop.getSpec().initialSelection.strategy.name.name());
        assertEquals(150, loop.getSpec().round.selection.count);
        assertEquals("LeastConfidence", loop.getSpec().round.selection.strategy.name.name());
        assertEquals(null, loop.getSpec().round.inference == null ? null : loop.getSpec().round.inference.mcDropoutSamples,
                "least-confidence reads probabilities only");
        assertEquals(1L, loop.getSpec().seed);
        assertEquals("Simulated", loop.getSpec().labeling.mode.name());
    }

    @Test
    void aFirstPickThatNeedsAModelIsRefusedNamingTheOnesThatDoNot() {
        var s = new DemoManifests.Settings(dir, Path.of("/data/fmnist"), null, null, "margin", null, null, null, false);
        var e = assertThrows(IllegalArgumentException.class,
                () -> DemoManifests.rewrite(DemoSession.manifests(null), s));
        assertTrue(e.getMessage().contains("margin needs one") && e.getMessage().contains("typiclust"), e.getMessage());
    }

    @Test
    void aStrategyReadingMcDropoutSamplesGetsAnInferenceThatWritesThem() throws Exception {
        var s = new DemoManifests.Settings(dir, Path.of("/data/fmnist"), null, null, null, null, "bald", null, false);
        ActiveLearningLoop loop = Serialization.unmarshal(DemoManifests.rewrite(DemoSession.manifests(null), s).get(1).toString(),
                ActiveLearningLoop.class);
        assertEquals("Bald", loop.getSpec().round.selection.strategy.name.name());
        assertEquals(10, loop.getSpec().round.inference.mcDropoutSamples);
    }

    @Test
    void theRandomBaselineGetsItsOwnDatasetCopy() throws Exception {
        var s = new DemoManifests.Settings(dir, Path.of("/data/fmnist"), null, null, null, null, null, null, true);
        List<ObjectNode> out = DemoManifests.rewrite(DemoSession.manifests(null), s);
        assertEquals(4, out.size());
        JsonNode ds = out.get(2);
        JsonNode loop = out.get(3);
        assertEquals("fashion-random", ds.at("/metadata/name").asText());
        assertEquals(dir.toUri() + "baseline/labels/", ds.at("/spec/labels/uri").asText());
        assertEquals("file:///data/fmnist/", ds.at("/spec/source/uri").asText());
        assertEquals("fashion-random", loop.at("/metadata/name").asText());
        assertEquals("fashion-random", loop.at("/spec/datasetRef").asText());
        assertEquals("Random", loop.at("/spec/round/selection/strategy/name").asText());
        assertEquals("Margin", out.get(1).at("/spec/round/selection/strategy/name").asText(), "the original is untouched");
    }

    @Test
    void theLabelEfficiencyOptionsGoIntoTheLoopAndItsBaselineAndGiveTheDatasetAnEmbedder() throws Exception {
        var training = new TrainingOptions(true, new TrainingOptions.PseudoLabels(0.9, 0.01));
        var s = new DemoManifests.Settings(dir, Path.of("/data/fmnist"), null, null, null, null, null, null, true, false, training);
        List<ObjectNode> out = DemoManifests.rewrite(DemoSession.manifests(null), s);
        for (int loop : new int[] {1, 3}) { // the loop, and its random baseline: compared with the same training
            ActiveLearningLoop l = Serialization.unmarshal(out.get(loop).toString(), ActiveLearningLoop.class);
            assertEquals(Boolean.TRUE, l.getSpec().round.trainer.backbone.fromEmbedder, l.getMetadata().getName());
            assertEquals(0.9, l.getSpec().pseudoLabels.threshold);
            assertEquals(0.01, l.getSpec().pseudoLabels.decay);
            Dataset d = Serialization.unmarshal(out.get(loop - 1).toString(), Dataset.class);
            assertTrue(d.getSpec().embedder != null, "fromEmbedder needs the Dataset's embedder: " + d.getMetadata().getName());
        }
        List<ObjectNode> plain = DemoManifests.rewrite(DemoSession.manifests(null),
                new DemoManifests.Settings(dir, Path.of("/data/fmnist"), null, null, null, null, null, null, false));
        assertTrue(plain.get(1).at("/spec/pseudoLabels").isMissingNode() && plain.get(0).at("/spec/embedder").isMissingNode(),
                "without the options, neither is added");
    }

    @Test
    void theBaselineOfADetectionLoopSelectsAtRandomWithoutTheBoxAggregation() throws Exception {
        var s = new DemoManifests.Settings(dir, Path.of("/data/canvases"), null, null, null, null, null, null, true);
        List<ObjectNode> out = DemoManifests.rewrite(DemoManifests.read(DetectionDemo.bundled()), s);
        JsonNode strategy = out.get(3).at("/spec/round/selection/strategy");
        assertEquals("{\"name\":\"Random\"}", strategy.toString());
        assertEquals("Max", out.get(1).at("/spec/round/selection/strategy/detectionAggregation").asText());
    }

    @Test
    void unknownStrategiesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> DemoManifests.strategy("cleverest"));
        assertEquals("Bald", DemoManifests.strategy("bald").name());
    }

    @Test
    void missingIdxFilesAreNamedWithTheInstallHint() throws IOException {
        Files.createFile(dir.resolve("train-images-idx3-ubyte.gz"));
        Files.createFile(dir.resolve("train-labels-idx1-ubyte"));
        List<String> missing = FashionMnistFiles.missing(dir);
        assertEquals(List.of("t10k-images-idx3-ubyte[.gz]", "t10k-labels-idx1-ubyte[.gz]"), missing);
        assertTrue(FashionMnistFiles.hint(dir, missing).contains("sudo apt-get install -y dataset-fashion-mnist"));
    }

    @Test
    void freshEmptiesOnlyTheDemosOwnDirectory() throws IOException {
        Path mine = dir.resolve("demo");
        assertFalse(DemoWorkdir.prepare(mine, false));
        Files.writeString(mine.resolve(ApiSnapshot.FILE), "[]");
        assertTrue(DemoWorkdir.prepare(mine, false), "a saved state resumes");
        assertFalse(DemoWorkdir.prepare(mine, true), "--fresh starts over");
        assertFalse(Files.exists(mine.resolve(ApiSnapshot.FILE)));

        Path theirs = dir.resolve("theirs");
        Files.createDirectories(theirs);
        Files.writeString(theirs.resolve("thesis.tex"), "precious");
        assertThrows(IllegalStateException.class, () -> DemoWorkdir.prepare(theirs, true));
        assertTrue(Files.exists(theirs.resolve("thesis.tex")));
    }
}
