package dev.winnow.operator;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.ActiveLearningLoopSpec;
import dev.winnow.api.v1alpha1.Backbone;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.EmbedderSpec;
import dev.winnow.api.v1alpha1.PseudoLabelsSpec;
import dev.winnow.api.v1alpha1.TrainerTemplate;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.TrainingRunSpec;
import dev.winnow.contract.Task;
import dev.winnow.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A loop that trains from the Dataset's encoder and on pseudo-labels: what each round's train Job gets, and what counts. */
class LabelEfficiencyLoopTest extends ClusterTest {
    static final String ENCODER = "s3://data/winnow/datasets/fashion/encoder/";

    private static Dataset embedded() {
        Dataset d = Manifests.dataset("fashion");
        d.getSpec().embedder = new EmbedderSpec();
        return d;
    }

    private static ActiveLearningLoop loop(int rounds) {
        ActiveLearningLoop loop = Manifests.loop("fashion", "fashion", rounds);
        loop.getSpec().round.trainer = new TrainerTemplate();
        loop.getSpec().round.trainer.backbone = new Backbone();
        loop.getSpec().round.trainer.backbone.fromEmbedder = true;
        loop.getSpec().pseudoLabels = new PseudoLabelsSpec();
        loop.getSpec().pseudoLabels.threshold = 0.85;
        loop.getSpec().pseudoLabels.decay = 0.05;
        return loop;
    }

    private Map<String, String> env(Container c) {
        return c.getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    private Job job(String name) {
        return cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).withName(name).get();
    }

    @Test
    void eachRoundTrainsFromTheEncoderAndTheRoundBeforesConfidentPredictionsButCountsOnlyLabels() {
        kubelet.on("embed", (job, i, env) -> TestKubelet.PodResult.ok("{\"embeddings\":\"" + env.get("WINNOW_EMBEDDINGS_OUT")
                        + "\",\"encoder\":\"" + ENCODER + "\",\"count\":1000,\"dims\":64}"))
                .on("train", (job, i, env) -> TestKubelet.PodResult.ok("{\"metrics\":{\"accuracy\":0.7},\"checkpoint\":\""
                        + env.get("WINNOW_CHECKPOINT_OUT") + "\",\"trained\":" + (env.containsKey("WINNOW_PSEUDO_LABELS") ? 150 : 100)
                        + (env.containsKey("WINNOW_PSEUDO_LABELS") ? ",\"pseudoLabeled\":600" : "") + "}"));
        create(embedded());
        create(loop(3));

        var status = await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Succeeded")).getStatus();
        assertEquals(200L, status.labeled, "100 initial + 50 + 50: pseudo-labels are no labels");
        assertEquals(List.of(100L, 150L, 150L), status.history.stream().map(h -> h.labeled).toList(),
                "each round's labeled count is what the trainer trained on with labels, never the pseudo-labels");
        assertEquals(600L, get(TrainingRun.class, "fashion-r2").getStatus().pseudoLabeled);

        for (int r = 1; r <= 3; r++) {
            Job train = job("fashion-r" + r + "-train");
            Map<String, String> main = env(train.getSpec().getTemplate().getSpec().getContainers().get(0));
            Map<String, String> prepare = env(train.getSpec().getTemplate().getSpec().getInitContainers().get(0));
            assertEquals(ENCODER, main.get("WINNOW_BACKBONE"), "round " + r);
            if (r == 1) {
                assertFalse(main.containsKey("WINNOW_PSEUDO_LABEL_SOURCE"), "round 1 has no predictions to take pseudo-labels from");
                assertFalse(prepare.containsKey("WINNOW_PSEUDO_LABELS"));
                continue;
            }
            TrainingRun previous = get(TrainingRun.class, "fashion-r" + (r - 1));
            assertEquals(previous.getStatus().predictions, main.get("WINNOW_PSEUDO_LABEL_SOURCE"), "round " + r);
            assertEquals(r == 2 ? "0.85" : "0.9", main.get("WINNOW_PSEUDO_LABEL_THRESHOLD"), "the threshold rises by the decay each round");
            assertTrue(main.get("WINNOW_PSEUDO_LABELS").endsWith("/runs/fashion-r" + r + "/attempts/$(WINNOW_ATTEMPT)/pseudo-labels.jsonl"),
                    main.get("WINNOW_PSEUDO_LABELS"));
            // the prepare init container writes the file: it gets the same variables
            assertEquals(main.get("WINNOW_PSEUDO_LABEL_SOURCE"), prepare.get("WINNOW_PSEUDO_LABEL_SOURCE"));
            assertEquals(main.get("WINNOW_PSEUDO_LABELS"), prepare.get("WINNOW_PSEUDO_LABELS"));
        }
        TrainingRunSpec.PseudoLabels r3 = get(TrainingRun.class, "fashion-r3").getSpec().pseudoLabels;
        assertEquals(0.9, r3.threshold);
    }

    @Test
    void aBackboneFromAnEmbedderTheDatasetHasNotIsInvalidBeforeAnyChild() {
        create(Manifests.dataset("fashion"));
        create(loop(2));
        var failed = Conditions.find(await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Failed")).getStatus(), Conditions.FAILED)
                .orElseThrow();
        assertEquals("InvalidSpec", failed.getReason());
        assertEquals("spec.round.trainer.backbone.fromEmbedder is set, but Dataset 'fashion' has no spec.embedder to train an encoder:"
                + " add spec.embedder: {} to the Dataset, or give spec.round.trainer.backbone.uri", failed.getMessage());
        assertTrue(kubelet.ran().stream().noneMatch(j -> j.contains("-r0-")), kubelet.ran().toString());
    }

    /** The Failed condition of a 2-round loop with random picks on a detection copy of the Dataset. */
    private io.fabric8.kubernetes.api.model.Condition failedOnDetection(Dataset d, java.util.function.Consumer<ActiveLearningLoop> options) {
        d.getSpec().task = Task.ObjectDetection;
        create(d);
        ActiveLearningLoop l = loop(2);
        options.accept(l);
        l.getSpec().initialSelection.strategy = Manifests.strategy(dev.winnow.contract.Strategy.Random);
        l.getSpec().round.selection.strategy = Manifests.strategy(dev.winnow.contract.Strategy.Random);
        create(l);
        var failed = Conditions.find(await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Failed")).getStatus(), Conditions.FAILED)
                .orElseThrow();
        assertEquals("InvalidSpec", failed.getReason());
        return failed;
    }

    @Test
    void pseudoLabelsOnADetectionDatasetAreInvalid() {
        var failed = failedOnDetection(Manifests.dataset("fashion"), l -> l.getSpec().round.trainer = null);
        assertEquals("spec.pseudoLabels: pseudo-labels are class predictions, for Classification datasets only;"
                + " Dataset 'fashion' is ObjectDetection", failed.getMessage());
    }

    @Test
    void aBackboneForTheBuiltInDetectorIsInvalidRatherThanIgnored() {
        var failed = failedOnDetection(embedded(), l -> l.getSpec().pseudoLabels = null);
        assertEquals("spec.round.trainer.backbone: Winnow's built-in detector does not start from a backbone; Dataset 'fashion'"
                + " is ObjectDetection. Remove it, or set spec.round.trainer.image to a trainer of your own that reads"
                + " WINNOW_BACKBONE", failed.getMessage());
        assertTrue(kubelet.ran().stream().noneMatch(j -> j.contains("-r0-")), kubelet.ran().toString());
    }

    @Test
    void badThresholdsDecaysAndBackbonesAreSpecProblemsThatNameTheField() {
        ActiveLearningLoopSpec spec = loop(2).getSpec();
        spec.pseudoLabels.threshold = 1.5;
        assertEquals(Optional.of("spec.pseudoLabels.threshold is 1.5; it must be in (0, 1]: the least top-class probability a"
                + " prediction needs to become a pseudo-label"), SpecProblems.of(spec));
        spec.pseudoLabels.threshold = 0.0;
        assertTrue(SpecProblems.of(spec).orElseThrow().startsWith("spec.pseudoLabels.threshold is 0.0; it must be in (0, 1]"));
        spec.pseudoLabels.threshold = 1.0;
        spec.pseudoLabels.decay = -0.01;
        assertEquals(Optional.of("spec.pseudoLabels.decay is -0.01; it must be in [0, 1]: how much the threshold rises each round"),
                SpecProblems.of(spec));
        spec.pseudoLabels.decay = null;
        assertEquals(Optional.empty(), SpecProblems.of(spec));
        spec.round.trainer.backbone.uri = "s3://models/backbone/";
        assertEquals(Optional.of("spec.round.trainer.backbone: give uri or fromEmbedder: true, exactly one"), SpecProblems.of(spec));
        spec.round.trainer.backbone.fromEmbedder = null;
        spec.round.trainer.backbone.uri = "http://models/backbone.pt";
        assertTrue(SpecProblems.of(spec).orElseThrow().startsWith("spec.round.trainer.backbone.uri must be an s3://"));

        TrainingRunSpec run = Manifests.trainingRun("r", "fashion").getSpec();
        run.pseudoLabels = new TrainingRunSpec.PseudoLabels();
        run.pseudoLabels.predictions = "s3://data/p/";
        assertEquals(Optional.of("spec.pseudoLabels.threshold is null; it must be in (0, 1]: the least top-class probability a"
                + " prediction needs to become a pseudo-label"), SpecProblems.of(run));
    }
}
