package dev.winnow.local.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.winnow.Needs;
import dev.winnow.local.api.EmbeddedApiServer;
import dev.winnow.local.kubelet.InProcessSteps;
import dev.winnow.operator.OperatorSettings;
import dev.winnow.operator.WinnowOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;

/**
 * A detection loop of three trained rounds through the real operator on the embedded (mock) API, with the real
 * worker's steps run in-process on a small generated pool: the detector trains and resumes, infer writes boxes,
 * uncertainty-by-boxes selects, the simulated oracle reveals KITTI ground truth, and every round's mAP reaches
 * the loop's status.
 */
class DetectionLoopTest {
    static final Path IDX = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path dir;

    @Test
    void threeDetectionRoundsSucceedWithMapInStatusForEveryRound() throws Exception {
        Needs.directory(IDX, "Debian's dataset-fashion-mnist, which .ci/run installs");
        Path data = DetectionDemo.prepare(dir, true, IDX, System.out, 150, 40);
        List<ObjectNode> docs = DetectionDemo.withGroundTruth(DemoManifests.read(DetectionDemo.bundled()), data);
        for (ObjectNode doc : docs) {
            if (doc.path("kind").asText().equals("ActiveLearningLoop")) {
                ((ObjectNode) doc.path("spec").path("round").path("trainer").path("env").get(0)).put("value", "4");
            }
        }
        var settings = new DemoManifests.Settings(dir, data.resolve("images"), 3, 40, null, 30, null, 5L, false);
        var options = new DemoSession.Options(dir, false, docs, settings, 0, 2, OperatorSettings.DEFAULT_WORKER_IMAGE,
                new InProcessSteps(), DetectionLoopTest::operator, Duration.ofSeconds(2));
        String out = DemoSessionTest.runToSuccess(options);
        assertTrue(out.contains("Loop fashion-detection: Succeeded (MaxRounds)"), out);

        JsonNode loop = object(dir.resolve(ApiSnapshot.FILE), "ActiveLearningLoop", "fashion-detection");
        JsonNode history = loop.path("status").path("history");
        assertEquals(3, history.size(), loop.toPrettyString());
        for (JsonNode round : history) {
            double map = round.path("metrics").path("map50").asDouble(-1);
            assertTrue(map >= 0 && map <= 1, "mAP@0.5 in status for round " + round);
        }
        // the initial 40 and the selections after rounds 1 and 2; round 3 reaches maxRounds and selects no more
        assertEquals(40 + 2 * 30, loop.path("status").path("labeled").asLong(), loop.toPrettyString());

        List<String> csv = Files.readAllLines(dir.resolve("rounds.csv"));
        assertTrue(csv.get(0).startsWith("round,labeled,map50,"), csv.get(0));
        assertEquals(4, csv.size(), csv.toString());
        assertTrue(Files.readString(dir.resolve("learning-curve.svg")).contains(">map50</text>"));

        // the rounds after the first hand the annotators the model's boxes (COCO and Label Studio pre-annotations)
        Path coco;
        try (Stream<Path> files = Files.walk(dir.resolve("artifacts/rounds"))) {
            coco = files.filter(p -> p.getFileName().toString().equals("label-request.coco.json")).findFirst().orElseThrow();
        }
        JsonNode annotations = new ObjectMapper().readTree(coco.toFile()).path("annotations");
        assertFalse(annotations.isEmpty(), "pre-annotations in " + coco);
        assertEquals(4, annotations.get(0).path("bbox").size());
        String tasks = Files.readString(coco.resolveSibling("label-request.json"));
        assertTrue(tasks.contains("rectanglelabels"), tasks.substring(0, Math.min(400, tasks.length())));
    }

    private static JsonNode object(Path snapshot, String kind, String name) throws Exception {
        JsonNode state = new ObjectMapper().readTree(snapshot.toFile());
        List<JsonNode> found = new java.util.ArrayList<>();
        state.findParents("kind").forEach(n -> {
            if (n.path("kind").asText().equals(kind) && n.path("metadata").path("name").asText().equals(name)) {
                found.add(n);
            }
        });
        assertFalse(found.isEmpty(), kind + " " + name + " in " + snapshot);
        return found.get(0);
    }

    static AutoCloseable operator(KubernetesClient client, String workerImage) {
        Operator operator = WinnowOperator.create(client, new OperatorSettings(workerImage, Set.of(EmbeddedApiServer.NAMESPACE)));
        operator.start();
        return operator::stop;
    }
}
