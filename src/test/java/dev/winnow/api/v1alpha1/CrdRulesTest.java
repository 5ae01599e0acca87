package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.winnow.api.v1alpha1.BadObjects.DATASET;
import static dev.winnow.api.v1alpha1.BadObjects.LOOP;
import static dev.winnow.api.v1alpha1.BadObjects.REMOVE;
import static dev.winnow.api.v1alpha1.BadObjects.SELECTION_ROUND;
import static dev.winnow.api.v1alpha1.BadObjects.TRAINING_RUN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the committed CRDs refuse at apply time, evaluated from crds/*.yml with a JSON-schema validator
 * and CEL ({@link CrdValidator}): a table of bad objects, each refused with a message that names the
 * field, and a table of unusual but valid ones that must pass. docs/validation.md lists the same.
 */
class CrdRulesTest {

    @Test
    void everyRuleCompilesAndTheGoodObjectsPass() {
        assertTrue(CrdValidator.compileAll() >= 10, "the CRDs carry CEL rules");
        for (var entry : Map.of("Dataset", DATASET, "TrainingRun", TRAINING_RUN, "SelectionRound", SELECTION_ROUND,
                "ActiveLearningLoop", LOOP).entrySet()) {
            assertEquals(List.of(), CrdValidator.of(entry.getKey()).refusals(BadObjects.parse(entry.getValue())), entry.getKey());
        }
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                // quantities, resource names, images and object names Kubernetes parses when the Job is made
                bad(DATASET, "spec.indexer.shmSize", "lots", "shmSize"),
                bad(DATASET, "spec.indexer.resources.limits.cpu", "lots", "cpu"),
                bad(DATASET, "spec.indexer.resources.requests.memory", "4 GB", "memory"),
                bad(DATASET, "spec.indexer.gpuResource", "bad resource!", "gpuResource"),
                bad(DATASET, "spec.indexer.gpuResource", "gpu", "gpuResource"),
                bad(DATASET, "spec.indexer.image", "Not An Image!", "image"),
                bad(DATASET, "spec.indexer.image", "ghcr.io/acme/trainer:bad tag", "image"),
                bad(DATASET, "spec.indexer.runtimeClassName", "Nvidia Runtime", "runtimeClassName"),
                bad(DATASET, "spec.storage.s3.credentialsSecret", "S3_Creds", "credentialsSecret"),
                bad(DATASET, "spec.storage.s3.endpoint", "minio.minio:9000", "endpoint"),
                bad(DATASET, "spec.storage.volumes.0.claimName", "My Claim", "claimName"),
                bad(DATASET, "spec.source.uri", "https://example.com/fashion/", "uri"),
                bad(DATASET, "spec.classes", List.of(), "classes"),
                bad(DATASET, "spec.task", "Segmentation", "task"),
                bad(DATASET, "spec.labels", REMOVE, "labels"),
                bad(DATASET, "spec.indexr", Map.of("shmSize", "2Gi"), "indexr"),
                bad(TRAINING_RUN, "spec.trainer.shmSize", "lots", "shmSize"),
                bad(TRAINING_RUN, "spec.trainer.resources.limits.memory", "8 gigs", "memory"),
                bad(TRAINING_RUN, "spec.trainer.serviceAccountName", "Trainer_SA", "serviceAccountName"),
                bad(TRAINING_RUN, "spec.trainer.priorityClassName", "High Priority", "priorityClassName"),
                bad(TRAINING_RUN, "spec.inference.gpuResource", "nvidia.com/", "gpuResource"),
                bad(TRAINING_RUN, "spec.inference.shards", 0, "shards"),
                bad(TRAINING_RUN, "spec.inference.shards", "four", "shards"),
                bad(TRAINING_RUN, "spec.backoffLimit", -1, "backoffLimit"),
                // what a train step would read as something else
                bad(TRAINING_RUN, "spec.trainOn.tags", List.of(), "trainOn.tags is empty"),
                bad(TRAINING_RUN, "spec.trainOn.allLabeled", true, "give tags or allLabeled, not both"),
                bad(TRAINING_RUN, "spec.resumeFrom", Map.of("trainingRun", "a", "uri", "s3://data/x/"), "exactly one"),
                // training engines: the built-in trainer is single-node; each engine's own shape
                bad(TRAINING_RUN, "spec.trainer.engine", "MPIJob", "engine"),
                bad(TRAINING_RUN, "spec.trainer.nodes", 2, "nodes above 1 needs engine PyTorchJob or TrainJob"),
                bad(TRAINING_RUN, "spec.trainer.nodes", 0, "nodes"),
                bad(TRAINING_RUN, "spec.trainer.runtimeRef", Map.of("name", "torch-distributed"), "runtimeRef is for engine TrainJob only"),
                bad(LOOP, "spec.round.trainer.engine", "PyTorchJob", "built-in trainer runs on one node"),
                // waits that could never end
                bad(SELECTION_ROUND, "spec.labeling.proceedAfter", 500, "proceedAfter is more than count"),
                bad(SELECTION_ROUND, "spec.labeling.proceedAfter", 0, "proceedAfter"),
                bad(SELECTION_ROUND, "spec.count", 0, "count"),
                bad(SELECTION_ROUND, "spec.total", 100, "exactly one"),
                bad(SELECTION_ROUND, "spec.labeling.mode", "Sometimes", "mode"),
                bad(SELECTION_ROUND, "spec.tag", "Round One", "tag"),
                bad(LOOP, "spec.labeling.proceedAfter", 500, "proceedAfter is more than initialSelection.count or round.selection.count"),
                bad(LOOP, "spec.round.selection.count", 30, "proceedAfter is more than"),
                bad(LOOP, "spec.stopWhen", Map.of(), "stopWhen needs at least one"),
                bad(LOOP, "spec.stopWhen.maxRounds", 0, "maxRounds"),
                bad(LOOP, "spec.stopWhen.metric.atLeast", REMOVE, "atLeast"),
                bad(LOOP, "spec.round.trainer.resources.limits.cpu", "lots", "cpu"),
                bad(LOOP, "spec.round.trainer.gpuResource", "bad resource!", "gpuResource"),
                bad(LOOP, "spec.round.selector.image", "trainer image", "image"),
                bad(LOOP, "spec.datasetRef", "Fashion MNIST", "datasetRef"));
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("refused")
    void refusedAtApply(String kind, String path, Object value, String expected, ObjectNode object) {
        List<String> refusals = CrdValidator.of(kind).refusals(object);
        assertFalse(refusals.isEmpty(), kind + " with " + path + "=" + value + " was accepted");
        assertTrue(refusals.stream().anyMatch(r -> r.contains(expected)), "no refusal mentions '" + expected + "': " + refusals);
    }

    static Stream<Arguments> accepted() {
        String digest = "sha256:" + "0123456789abcdef".repeat(4);
        return Stream.of(
                bad(DATASET, "spec.indexer.resources.limits.cpu", 2, ""),
                bad(DATASET, "spec.indexer.resources.limits.cpu", "1.5", ""),
                bad(DATASET, "spec.indexer.resources.limits.memory", "8e9", ""),
                bad(DATASET, "spec.indexer.resources.limits.nvidia\\.com/gpu", 1, ""),
                bad(DATASET, "spec.indexer.shmSize", "512Mi", ""),
                bad(DATASET, "spec.indexer.image", "python:3.12-slim", ""),
                bad(DATASET, "spec.indexer.image", "localhost:5000/team/trainer@" + digest, ""),
                bad(DATASET, "spec.indexer.image", "registry.example.com:5000/a/b_c/d--e:v1.2-rc_3", ""),
                bad(DATASET, "spec.indexer.image", "", ""),
                bad(DATASET, "spec.indexer.gpuResource", "nvidia.com/mig-1g.10gb", ""),
                bad(DATASET, "spec.storage.s3.endpoint", "https://s3.eu-west-1.amazonaws.com", ""),
                bad(SELECTION_ROUND, "spec.labeling.proceedAfter", 50, ""),
                bad(TRAINING_RUN, "spec.trainer.engine", "PyTorchJob", ""),
                bad(TRAINING_RUN, "spec.trainer.engine", "Job", ""),
                bad(TRAINING_RUN, "spec.trainer.nodes", 1, ""),
                bad(LOOP, "spec.labeling.proceedAfter", 50, ""));
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("accepted")
    void acceptedAtApply(String kind, String path, Object value, String ignored, ObjectNode object) {
        assertEquals(List.of(), CrdValidator.of(kind).refusals(object), kind + " with " + path + "=" + value);
    }

    @Test
    void transitionRulesRunOnUpdatesOnly() {
        ObjectNode run = BadObjects.parse(TRAINING_RUN);
        ObjectNode changed = BadObjects.with(run, "spec.backoffLimit", 2);
        CrdValidator validator = CrdValidator.of("TrainingRun");
        assertEquals(List.of(), validator.refusals(changed), "a create has no old object");
        assertTrue(validator.refusals(run, changed).stream().anyMatch(r -> r.contains("a TrainingRun is immutable")),
                validator.refusals(run, changed).toString());
        assertEquals(List.of(), validator.refusals(run, run), "an unchanged update passes");
    }

    private static Arguments bad(String yaml, String path, Object value, String expected) {
        String kind = BadObjects.parse(yaml).path("kind").asText();
        // a key with a dot (nvidia.com/gpu) is written with an escaped dot in the table
        ObjectNode object = path.contains("\\.")
                ? withKey(yaml, path, value)
                : BadObjects.with(yaml, path, value);
        return Arguments.of(kind, path, value, expected, object);
    }

    private static ObjectNode withKey(String yaml, String path, Object value) {
        int cut = path.lastIndexOf('.', path.indexOf("\\."));
        String parent = path.substring(0, cut);
        String key = path.substring(cut + 1).replace("\\.", ".");
        ObjectNode object = BadObjects.parse(yaml);
        ObjectNode node = object;
        for (String part : parent.split("\\.")) {
            node = (ObjectNode) node.get(part);
        }
        node.set(key, BadObjects.YAML.valueToTree(value));
        return object;
    }
}
