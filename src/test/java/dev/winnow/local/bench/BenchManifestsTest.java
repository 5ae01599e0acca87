package dev.winnow.local.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.CrdValidator;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.contract.Strategy;
import dev.winnow.local.demo.DemoSession;
import dev.winnow.local.demo.TrainingOptions;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchManifestsTest {
    @TempDir
    Path dir;

    static final BenchPlan PLAN = new BenchPlan("b1", List.of(BenchStrategy.of(Strategy.Margin), BenchStrategy.of(Strategy.Bald), BenchStrategy.of(Strategy.Random)),
            List.of(1L, 2L), 8, 100, 100, null, Map.of(), null);

    static List<ActiveLearningLoop> loops(List<ObjectNode> docs) {
        return docs.stream().filter(d -> d.path("kind").asText().equals("ActiveLearningLoop"))
                .map(d -> Serialization.unmarshal(d.toString(), ActiveLearningLoop.class)).toList();
    }

    static List<Dataset> datasets(List<ObjectNode> docs) {
        return docs.stream().filter(d -> d.path("kind").asText().equals("Dataset"))
                .map(d -> Serialization.unmarshal(d.toString(), Dataset.class)).toList();
    }

    @Test
    void aLabeledLoopPerStrategyAndSeedEachOnItsOwnDataset() throws Exception {
        List<ObjectNode> docs = BenchManifests.forCluster(DemoSession.manifests(null), PLAN);
        List<ActiveLearningLoop> loops = loops(docs);
        assertEquals(6, loops.size());
        ActiveLearningLoop bald2 = loops.stream().filter(l -> l.getMetadata().getName().equals("b1-bald-s2")).findFirst().orElseThrow();
        assertEquals(Map.of(BenchLabels.BENCH, "b1", BenchLabels.STRATEGY, "bald", BenchLabels.SEED, "2"), bald2.getMetadata().getLabels());
        assertEquals("b1-bald-s2", bald2.getSpec().datasetRef);
        assertEquals(Strategy.Bald, bald2.getSpec().round.selection.strategy.name);
        assertEquals(10, bald2.getSpec().round.inference.mcDropoutSamples, "BALD gets the MC-dropout passes it reads");
        assertEquals(2L, bald2.getSpec().seed);
        assertEquals("Simulated", bald2.getSpec().labeling.mode.name());
        assertEquals(8, bald2.getSpec().stopWhen.maxRounds);
        assertNull(bald2.getSpec().stopWhen.metric, "every loop runs all its rounds: the manifest's accuracy stop is gone");

        // a seed's first pick is the same request in every strategy's loop, and differs between seeds
        Map<Long, Set<String>> initialBySeed = loops.stream().collect(Collectors.groupingBy(l -> l.getSpec().seed,
                Collectors.mapping(l -> Serialization.asJson(l.getSpec().initialSelection), Collectors.toSet())));
        assertEquals(1, initialBySeed.get(1L).size());
        assertEquals(1, initialBySeed.get(2L).size());

        List<Dataset> datasets = datasets(docs);
        assertEquals(6, datasets.size());
        Set<String> labelUris = new HashSet<>();
        for (Dataset d : datasets) {
            assertEquals("s3://winnow-demo/fashion-mnist/", d.getSpec().source.uri, "one pool for all");
            assertTrue(labelUris.add(d.getSpec().labels.uri), "simulated labels of one loop never train another");
            assertTrue(d.getSpec().artifacts.uri.endsWith("/" + d.getMetadata().getName() + "/"), d.getSpec().artifacts.uri);
        }
    }

    @Test
    void backboneAndPseudoLabelsGoIntoEveryLoopAndNameItsRow() throws Exception {
        var plan = new BenchPlan("le", List.of(BenchStrategy.of(Strategy.Margin), BenchStrategy.of(Strategy.Random)), List.of(1L),
                8, 100, 100, null, Map.of(), null, new TrainingOptions(true, new TrainingOptions.PseudoLabels(0.9, 0.01)));
        List<ObjectNode> docs = BenchManifests.forCluster(DemoSession.manifests(null), plan);
        for (ObjectNode doc : docs) {
            assertEquals(List.of(), CrdValidator.of(doc.path("kind").asText()).refusals(doc), doc.toString());
        }
        ActiveLearningLoop margin = loops(docs).get(0);
        assertEquals("le-margin-backbone-pseudo-s1", margin.getMetadata().getName());
        assertEquals("margin-backbone-pseudo", margin.getMetadata().getLabels().get(BenchLabels.STRATEGY),
                "the report's row says which options the loop trained with");
        assertEquals(Boolean.TRUE, margin.getSpec().round.trainer.backbone.fromEmbedder);
        assertEquals(0.9, margin.getSpec().pseudoLabels.threshold);
        assertEquals(0.01, margin.getSpec().pseudoLabels.decay);
        for (Dataset d : datasets(docs)) {
            assertTrue(d.getSpec().embedder != null, "a backbone from the embedder needs the Dataset to have one: " + d.getMetadata().getName());
        }
        assertEquals(List.of(), datasets(BenchManifests.forCluster(DemoSession.manifests(null), PLAN)).stream()
                .filter(d -> d.getSpec().embedder != null).toList(), "without --backbone, no embed step is added");
        assertThrows(IllegalArgumentException.class, () -> TrainingOptions.PseudoLabels.parse("1.5", 0.0033));
        assertThrows(IllegalArgumentException.class, () -> TrainingOptions.PseudoLabels.parse("0.9:x", 0.0033));
        assertEquals(new TrainingOptions.PseudoLabels(0.95, 0.0033), TrainingOptions.PseudoLabels.parse("0.95", 0.0033));
    }

    @Test
    void aStrategyWithParametersIsItsOwnRowBesideTheDefaults() throws Exception {
        var plan = new BenchPlan("b2", List.of(BenchStrategy.parse("coral"), BenchStrategy.parse("coral:measures=margin"),
                BenchStrategy.parse("uncertainty-mix:p=0.5:measure=entropy"), BenchStrategy.parse("Coral:measures=margin+entropy")),
                List.of(1L), 8, 100, 100, null, Map.of(), null);
        List<ActiveLearningLoop> loops = loops(BenchManifests.forCluster(DemoSession.manifests(null), plan));
        assertEquals(List.of("b2-coral-s1", "b2-coral-measures-margin-s1", "b2-uncertainty-mix-measure-entropy-p-0-5-s1",
                "b2-coral-measures-margin-entropy-s1"), loops.stream().map(l -> l.getMetadata().getName()).toList());
        ActiveLearningLoop margin = loops.get(1);
        assertEquals("coral-measures-margin", margin.getMetadata().getLabels().get(BenchLabels.STRATEGY), "the report's row");
        assertEquals(Strategy.Coral, margin.getSpec().round.selection.strategy.name);
        assertEquals(Map.of("measures", "margin"), margin.getSpec().round.selection.strategy.params);
        assertEquals(Map.of("measures", "margin,entropy"), loops.get(3).getSpec().round.selection.strategy.params, "+ joins a list");
        assertEquals(Map.of("p", "0.5", "measure", "entropy"), loops.get(2).getSpec().round.selection.strategy.params);
        assertNull(loops.get(0).getSpec().round.selection.strategy.params, "the plain one keeps the defaults");

        var unknown = assertThrows(IllegalArgumentException.class, () -> BenchStrategy.parse("margin:p=0.5"));
        assertEquals("margin.p: Margin has no parameter 'p' (it takes aggregation, empty-score)", unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchStrategy.parse("uncertainty-mix:p=2"), "out of range");
        assertThrows(IllegalArgumentException.class, () -> BenchStrategy.parse("coral:measures"), "not key=value");
        var twice = assertThrows(IllegalArgumentException.class, () -> new BenchPlan("b3", List.of(BenchStrategy.parse("margin"),
                BenchStrategy.parse("Margin")), List.of(1L), 8, 100, 100, null, Map.of(), null));
        assertEquals("two entries of the benchmark are both named margin; each strategy, or strategy with parameters, once", twice.getMessage());
    }

    @Test
    void emittedManifestsPassTheCrdSchemas() throws Exception {
        var cdal = BenchPreset.CDAL;
        var plan = new BenchPlan("cdal", List.of(BenchStrategy.of(Strategy.Margin), BenchStrategy.of(Strategy.Random)), List.of(1L), cdal.rounds(),
                cdal.initial(), cdal.count(), "random", cdal.trainerEnv(), cdal.resumeFromPrevious());
        List<ObjectNode> docs = BenchManifests.forCluster(DemoSession.manifests(null), plan);
        for (ObjectNode doc : docs) {
            assertEquals(List.of(), CrdValidator.of(doc.path("kind").asText()).refusals(doc), doc.toString());
        }
        ActiveLearningLoop loop = loops(docs).get(0);
        assertEquals(Boolean.FALSE, loop.getSpec().round.resumeFromPrevious, "CDALBench trains from scratch every round");
        assertEquals(500, loop.getSpec().round.selection.count);
        Map<String, String> env = loop.getSpec().round.trainer.env.stream()
                .collect(Collectors.toMap(e -> e.getName(), e -> e.getValue()));
        assertEquals(Map.of("WINNOW_MODEL", "resnet18", "WINNOW_EPOCHS", "20", "WINNOW_BATCH_SIZE", "128",
                "WINNOW_LEARNING_RATE", "0.001"), env);
    }

    @Test
    void onTheEmbeddedApiEachLoopStoresUnderItsOwnDirectory() throws Exception {
        List<ObjectNode> docs = BenchManifests.forDemo(DemoSession.manifests(null), PLAN, dir, Path.of("/data/fmnist"));
        Dataset first = datasets(docs).get(0);
        assertEquals("file:///data/fmnist/", first.getSpec().source.uri);
        assertEquals(dir.toUri() + "loops/b1-margin-s1/labels/", first.getSpec().labels.uri);
        assertEquals("default", first.getMetadata().getNamespace());
        assertNull(first.getSpec().storage);
    }

    @Test
    void aManifestWithoutOneLoopIsRefused() throws Exception {
        List<ObjectNode> datasetOnly = DemoSession.manifests(null).subList(0, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> BenchManifests.forCluster(datasetOnly, PLAN));
        assertTrue(e.getMessage().contains("one ActiveLearningLoop"), e.getMessage());
    }
}
