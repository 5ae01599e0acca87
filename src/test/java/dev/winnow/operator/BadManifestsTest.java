package dev.winnow.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.ActiveLearningLoopSpec;
import dev.winnow.api.v1alpha1.BadObjects;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.contract.DetectionAggregation;
import dev.winnow.api.v1alpha1.LabelingSpec;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.TrainingRunSpec;
import dev.winnow.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's own checks of bad manifests, on the mock server (which, unlike a cluster, applies
 * no schema or CEL rule, so what the CRDs would refuse arrives here): each ends in a condition that
 * names the problem, and every loop ends.
 */
class BadManifestsTest extends ClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    // --- fields Kubernetes parses later, checked before any Job is built

    @Test
    void aQuantityThatIsNotOneLeavesTheDatasetInvalidBeforeAnyJob() {
        apply(BadObjects.with(BadObjects.DATASET, "spec.indexer.shmSize", "lots"));

        var status = await(Dataset.class, "fashion", s -> phase(s, "InvalidSpec")).getStatus();
        assertEquals("spec.indexer.shmSize: 'lots' is not a quantity such as 512Mi or 8Gi", status.message);
        assertEquals("False", Conditions.find(status, Conditions.READY).orElseThrow().getStatus());
        assertEquals(List.of(), kubelet.ran(), "no Job was built");
    }

    @Test
    void classNamesTheStepsWouldReadDifferentlyLeaveTheDatasetInvalidBeforeAnyJob() {
        apply(BadObjects.with(BadObjects.DATASET, "spec.classes", List.of("t-shirt, top", "trouser")));
        var status = await(Dataset.class, "fashion", s -> phase(s, "InvalidSpec")).getStatus();
        assertEquals("spec.classes[0]: 't-shirt, top' contains a comma; the steps receive the classes comma-separated "
                + "(WINNOW_CLASSES), so name it without one, e.g. 't-shirt-top'", status.message);
        assertEquals(List.of(), kubelet.ran(), "no Job was built");

        assertEquals(java.util.Optional.of("spec.classes[2]: 'Bag' is spec.classes[0] again ('bag'); labels are matched to classes "
                + "case-insensitively, so each name must differ in more than case"), SpecProblems.classes(List.of("bag", "coat", "Bag")));
        assertEquals(java.util.Optional.of("spec.classes[1]: ' coat' begins or ends with blanks; labels are matched to classes trimmed"),
                SpecProblems.classes(List.of("bag", " coat")));
        assertEquals(java.util.Optional.of("spec.classes[1] is empty: every class needs a name"), SpecProblems.classes(List.of("bag", "")));
        assertEquals(java.util.Optional.empty(), SpecProblems.classes(List.of("t-shirt/top", "ankle boot", "Bag")));
    }

    @Test
    void aLoopWhoseTrainerNamesABadGpuResourceFailsBeforeItsFirstChild() {
        create(Manifests.dataset("fashion"));
        ObjectNode loop = BadObjects.with(BadObjects.LOOP, "spec.datasetRef", "fashion");
        apply(BadObjects.with(loop, "spec.round.trainer.gpuResource", "bad resource!"));

        var failed = Conditions.find(await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Failed")).getStatus(), Conditions.FAILED)
                .orElseThrow();
        assertEquals("InvalidSpec", failed.getReason());
        assertTrue(failed.getMessage().startsWith("spec.round.trainer.gpuResource: 'bad resource!' is not an extended resource name"),
                failed.getMessage());
        assertTrue(cluster.client.resources(SelectionRound.class).inNamespace(MockCluster.NAMESPACE).list().getItems().isEmpty());
    }

    // --- every loop ends

    @Test
    void aStopMetricTheTrainerDoesNotReportFailsALoopNothingElseWouldEnd() {
        create(Manifests.dataset("fashion"));
        ActiveLearningLoop loop = Manifests.loop("fashion", "fashion", 1);
        loop.getSpec().stopWhen.maxRounds = null;
        loop.getSpec().stopWhen.metric = metric("f1-macro", 0.9);
        create(loop);

        var status = await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Failed")).getStatus();
        var failed = Conditions.find(status, Conditions.FAILED).orElseThrow();
        assertEquals("MetricNotReported", failed.getReason());
        assertEquals("trainer reported accuracy, loss in TrainingRun 'fashion-r1'; stopWhen.metric names f1-macro,"
                + " and no maxRounds or labelBudget would end the loop", failed.getMessage());
        assertEquals(1, status.round, "it fails after the first training");
        assertTrue(kubelet.ran().stream().noneMatch(j -> j.startsWith("fashion-r1-select")), kubelet.ran().toString());
    }

    @Test
    void aStopMetricTheTrainerDoesNotReportIsAConditionWhileMaxRoundsStillEndsTheLoop() {
        create(Manifests.dataset("fashion"));
        ActiveLearningLoop loop = Manifests.loop("fashion", "fashion", 2);
        loop.getSpec().stopWhen.metric = metric("f1-macro", 0.9);
        create(loop);

        var status = await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Succeeded")).getStatus();
        assertEquals("MaxRounds", status.stopReason);
        var reported = Conditions.find(status, Conditions.METRIC_REPORTED).orElseThrow();
        assertEquals("False", reported.getStatus());
        assertEquals("MetricNotReported", reported.getReason());
        assertTrue(reported.getMessage().endsWith("names f1-macro; the loop goes on until maxRounds 2"), reported.getMessage());
        assertEquals(1, warnings("ActiveLearningLoop", "fashion", "MetricNotReported").size(), "one Warning, not one per round");
    }

    @Test
    void aLoopThatHasSelectedTheWholePoolStopsWithPoolExhausted() {
        create(Manifests.dataset("fashion"));
        ActiveLearningLoop loop = Manifests.loop("fashion", "fashion", 1);
        loop.getSpec().stopWhen.maxRounds = null;
        loop.getSpec().stopWhen.labelBudget = 100_000L;
        loop.getSpec().initialSelection.count = 600;
        loop.getSpec().round.selection.count = 300;
        create(loop);

        var status = await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Succeeded")).getStatus();
        assertEquals("PoolExhausted", status.stopReason);
        assertEquals(FakeSteps.POOL, status.requested, "600 + 300 + the 100 left");
        assertEquals(100, get(SelectionRound.class, "fashion-r2").getSpec().count, "the last round takes what is left");
        assertEquals(3, status.round);
        assertEquals("all 1000 samples of the pool are labeled or selected after round 3", status.message);
    }

    @Test
    void proceedAfterIsCutToARoundTheBudgetMadeSmaller() {
        create(Manifests.dataset("fashion"));
        ActiveLearningLoop loop = Manifests.loop("fashion", "fashion", 5);
        loop.getSpec().labeling.proceedAfter = 40;
        loop.getSpec().stopWhen.labelBudget = 130L;
        create(loop);

        await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Succeeded"));
        var last = get(SelectionRound.class, "fashion-r1").getSpec();
        assertEquals(30, last.count, "100 + 30 = the budget");
        assertEquals(30, last.labeling.proceedAfter, "never more labels than the round asks for");
        assertEquals(40, get(SelectionRound.class, "fashion-r0").getSpec().labeling.proceedAfter);
    }

    @Test
    void proceedAfterOverWhatWasSelectedWaitsForAllAndSaysSo() {
        create(Manifests.dataset("fashion"));
        SelectionRound round = Manifests.selectionRound("fashion-s1", "fashion", null, 1);
        round.getSpec().count = null;
        round.getSpec().total = 10; // the fake select step picks 10
        round.getSpec().labeling = new LabelingSpec();
        round.getSpec().labeling.proceedAfter = 500;
        create(round);

        var status = await(SelectionRound.class, "fashion-s1", s -> phase(s, "Succeeded")).getStatus();
        assertEquals(10L, status.labeled);
        assertEquals("10", TrainingRunReconcilerTest.env(job("fashion-s1-await")).get("WINNOW_MIN_LABELS"));
        assertTrue(events("SelectionRound", "fashion-s1").stream().anyMatch(e -> e.getMessage()
                        .equals("10 selected; waiting for 10 labels (labeling.proceedAfter 500 is more than the 10 selected, so all of them)")),
                events("SelectionRound", "fashion-s1").stream().map(Event::getMessage).toList().toString());
    }

    // --- the smaller items

    @Test
    void trainOnAnEmptyTagListIsRefusedNotReadAsAll() {
        create(Manifests.dataset("fashion"));
        ObjectNode run = BadObjects.with(BadObjects.TRAINING_RUN, "spec.trainOn.tags", List.of());
        apply(BadObjects.with(run, "spec.trainer", java.util.Map.of()));

        var failed = Conditions.find(await(TrainingRun.class, "fashion-r1", s -> phase(s, "Failed")).getStatus(), Conditions.FAILED)
                .orElseThrow();
        assertEquals("InvalidSpec", failed.getReason());
        assertEquals("spec.trainOn.tags is empty, which names no samples to train on: list at least one tag, or set allLabeled: true",
                failed.getMessage());
        assertTrue(kubelet.ran().stream().noneMatch(j -> j.startsWith("fashion-r1")), kubelet.ran().toString());
    }

    @Test
    void detectionAggregationOnAClassificationDatasetIsAWarningAndNotPassedOn() {
        create(Manifests.dataset("fashion"));
        SelectionRound round = Manifests.selectionRound("fashion-s1", "fashion", null, 10);
        round.getSpec().strategy.detectionAggregation = DetectionAggregation.Max;
        create(round);

        await(SelectionRound.class, "fashion-s1", s -> phase(s, "Succeeded"));
        List<Event> warnings = warnings("SelectionRound", "fashion-s1", "FieldIgnored");
        assertEquals(1, warnings.size());
        assertEquals("spec.strategy.detectionAggregation Max has no effect: Dataset 'fashion' is Classification,"
                + " and only object detection aggregates per-box scores into one per image", warnings.get(0).getMessage());
        assertNull(TrainingRunReconcilerTest.env(job("fashion-s1-select")).get("WINNOW_DETECTION_AGGREGATION"));
    }

    // --- nothing stale, nothing cut off

    @Test
    void aRunCreatedAgainUnderItsNameWritesAndRecordsItsOwnPredictions() {
        create(Manifests.dataset("fashion"));
        TrainingRun first = Manifests.trainingRun("fashion-r1", "fashion");
        first.getSpec().inference = new TrainingRunSpec.Inference();
        first.getSpec().inference.shards = 4;
        create(first);
        String before = await(TrainingRun.class, "fashion-r1", s -> phase(s, "Succeeded")).getStatus().predictions;

        cluster.client.resources(TrainingRun.class).inNamespace(MockCluster.NAMESPACE).withName("fashion-r1").delete();
        // the mock has no garbage collector: remove the old run's Jobs and pods as the cluster would
        cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).withLabel("winnow.dev/trainingrun", "fashion-r1").delete();
        for (String step : List.of("train", "infer")) {
            cluster.client.pods().inNamespace(MockCluster.NAMESPACE).withLabel("job-name", "fashion-r1-" + step).delete();
        }
        Eventually.until(TIMEOUT, () -> get(TrainingRun.class, "fashion-r1") == null
                && job("fashion-r1-infer") == null, () -> "old run still there");

        TrainingRun second = Manifests.trainingRun("fashion-r1", "fashion");
        second.getSpec().inference = new TrainingRunSpec.Inference();
        second.getSpec().inference.shards = 2;
        create(second);
        TrainingRun done = await(TrainingRun.class, "fashion-r1", s -> phase(s, "Succeeded"));

        assertNotEquals(before, done.getStatus().predictions);
        assertTrue(done.getStatus().predictions.endsWith("/runs/fashion-r1/predictions/" + done.getMetadata().getUid() + "/"),
                done.getStatus().predictions);
        assertEquals(done.getStatus().predictions, TrainingRunReconcilerTest.env(job("fashion-r1-infer")).get("WINNOW_PREDICTIONS_OUT"));
    }

    @Test
    void theClassHistogramsUriAndChecksumReachStatusWhenTheHistogramItselfDidNotFit() {
        kubelet.on("index", (job, i, env) -> TestKubelet.PodResult.ok("{\"samples\":1000,\"labeled\":0,"
                + "\"classHistogramUri\":\"s3://data/winnow/datasets/fashion/class-histogram.json\",\"classHistogramSha256\":\"ab12\"}"));
        create(Manifests.dataset("fashion"));

        var status = await(Dataset.class, "fashion", s -> phase(s, "Ready")).getStatus();
        assertNull(status.classHistogram);
        assertEquals("s3://data/winnow/datasets/fashion/class-histogram.json", status.classHistogramUri);
        assertEquals("ab12", status.classHistogramSha256);
    }

    @Test
    void aLoopsSelectionsCarryTheirRound() {
        create(Manifests.dataset("fashion"));
        create(Manifests.loop("fashion", "fashion", 1));

        await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Succeeded"));
        assertEquals(0, get(SelectionRound.class, "fashion-r0").getSpec().round);
        assertEquals("0", TrainingRunReconcilerTest.env(job("fashion-r0-select")).get("WINNOW_ROUND"));
    }

    private void apply(ObjectNode object) {
        cluster.client.genericKubernetesResources(object.path("apiVersion").asText(), object.path("kind").asText())
                .inNamespace(MockCluster.NAMESPACE).resource(JSON.convertValue(object, GenericKubernetesResource.class)).create();
    }

    private io.fabric8.kubernetes.api.model.batch.v1.Job job(String name) {
        return cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).withName(name).get();
    }

    private List<Event> events(String kind, String name) {
        return cluster.client.v1().events().inNamespace(MockCluster.NAMESPACE).list().getItems().stream()
                .filter(e -> kind.equals(e.getInvolvedObject().getKind()) && name.equals(e.getInvolvedObject().getName())).toList();
    }

    private List<Event> warnings(String kind, String name, String reason) {
        return events(kind, name).stream().filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason())).toList();
    }

    private static ActiveLearningLoopSpec.MetricThreshold metric(String name, double atLeast) {
        var m = new ActiveLearningLoopSpec.MetricThreshold();
        m.name = name;
        m.atLeast = atLeast;
        return m;
    }
}
