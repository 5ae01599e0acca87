package dev.winnow.operator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.CrdValidator;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.TrainingRun;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Winnow object in examples/ reads into the API types with no unknown field, passes the
 * committed CRDs' schema and CEL rules as the API server would evaluate them, and passes the
 * operator's checks.
 */
class ExamplesTest {
    static final Map<String, Class<?>> KINDS = Map.of("Dataset", Dataset.class, "TrainingRun", TrainingRun.class,
            "SelectionRound", SelectionRound.class, "ActiveLearningLoop", ActiveLearningLoop.class);
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void everyExampleIsAValidWinnowResource() throws IOException {
        List<String> checked = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("examples"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode doc : documents(file)) {
                    String kind = doc.path("kind").asText();
                    if (!KINDS.containsKey(kind)) {
                        continue;
                    }
                    assertEquals("winnow.dev/v1alpha1", doc.path("apiVersion").asText(), file + " " + kind);
                    assertEquals(List.of(), CrdValidator.of(kind).refusals(doc), file + " " + kind + ": refused at apply");
                    Object resource = YAML.treeToValue(doc, KINDS.get(kind));
                    Optional<String> problem = switch (kind) {
                        case "Dataset" -> SpecProblems.of(((Dataset) resource).getSpec());
                        case "TrainingRun" -> SpecProblems.of(((TrainingRun) resource).getSpec());
                        case "SelectionRound" -> SpecProblems.of(((SelectionRound) resource).getSpec());
                        default -> SpecProblems.of(((ActiveLearningLoop) resource).getSpec());
                    };
                    assertTrue(problem.isEmpty(), file + " " + kind + ": " + problem.orElse(""));
                    checked.add(file.getFileName() + ":" + kind);
                }
            }
        }
        assertTrue(checked.size() >= 9, "examples checked: " + checked);
    }

    /**
     * The Argo CD Application of the operator syncs this chart at a released tag, with its crds/ (Argo CD applies them
     * on every sync, so an upgrade's sync brings the new CRDs) and the operator's own CRD upgrade on, server-side.
     */
    @Test
    void theArgoCdApplicationOfTheOperatorUpgradesItsCrdsWithEachSync() throws IOException {
        JsonNode app = documents(Path.of("examples/argocd/winnow-operator.yaml")).get(0);
        String appVersion = YAML.readTree(Path.of("helm/winnow/Chart.yaml").toFile()).path("appVersion").asText();
        assertEquals("helm/winnow", app.at("/spec/source/path").asText());
        assertTrue(Files.isRegularFile(Path.of(app.at("/spec/source/path").asText(), "Chart.yaml")));
        assertEquals("v" + appVersion, app.at("/spec/source/targetRevision").asText(), "the release this chart is");
        assertEquals(false, app.at("/spec/source/helm/skipCrds").asBoolean(true), "Argo CD applies crds/ only when not skipped");
        assertEquals(true, app.at("/spec/source/helm/valuesObject/crds/apply").asBoolean(false));
        List<String> options = new ArrayList<>();
        app.at("/spec/syncPolicy/syncOptions").forEach(o -> options.add(o.asText()));
        assertTrue(options.contains("ServerSideApply=true"), options.toString());
    }

    /** The distributed examples train on 2 nodes x 4 GPUs on their engine, queued on the LocalQueue they ship. */
    @Test
    void distributedExamplesTrainOnTheirEngineThroughTheirLocalQueue() throws IOException {
        for (var example : Map.of("pytorchjob-loop.yaml", "PyTorchJob", "trainjob-loop.yaml", "TrainJob").entrySet()) {
            List<JsonNode> docs = documents(Path.of("examples/distributed", example.getKey()));
            JsonNode queue = docs.stream().filter(d -> d.path("kind").asText().equals("LocalQueue")).findFirst().orElseThrow();
            assertEquals("kueue.x-k8s.io/v1beta1", queue.path("apiVersion").asText());
            JsonNode loop = docs.stream().filter(d -> d.path("kind").asText().equals("ActiveLearningLoop")).findFirst().orElseThrow();
            assertEquals(queue.at("/metadata/name").asText(), loop.at("/metadata/labels").path("kueue.x-k8s.io/queue-name").asText(),
                    example.getKey() + ": the loop queues on the LocalQueue it ships");
            JsonNode trainer = loop.at("/spec/round/trainer");
            assertEquals(List.of(example.getValue(), 2, 4), List.of(trainer.path("engine").asText(), trainer.path("nodes").asInt(),
                    trainer.path("gpus").asInt()), example.getKey());
        }
    }

    static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    docs.add(node);
                }
            }
        }
        return docs;
    }
}
