package dev.winnow.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.contract.LabelFormat;
import dev.winnow.contract.LabelingMode;
import dev.winnow.operator.status.Conditions;
import dev.winnow.worker.StepResult;
import dev.winnow.worker.Steps;
import dev.winnow.worker.TestData;

/**
 * A loop whose labels come back as Label Studio exports in partial drops, read by the real
 * await-labels step (the kubelet plays a pod that mounts the bucket): online mode releases the next
 * training after the first drop, and the SelectionRound shows labeled/skipped/open while it waits.
 */
class LabelStudioLoopTest extends ClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path bucket;

    private final AtomicInteger nextSample = new AtomicInteger();
    /** Each round's selected ids, by SelectionRound name. */
    private final Map<String, List<String>> selected = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger drops = new AtomicInteger();
    /** What each select step was told to call the model in its label request. */
    private final Map<String, String> modelVersions = new java.util.concurrent.ConcurrentHashMap<>();

    private Path local(String s3Uri) {
        return bucket.resolve(s3Uri.replaceFirst("^s3://", ""));
    }

    @BeforeEach
    void realAwaitLabels() {
        kubelet.on("select", (job, i, env) -> {
            List<String> ids = new ArrayList<>();
            for (int n = 0; n < Integer.parseInt(env.get("WINNOW_COUNT")); n++) {
                ids.add(String.format("s-%03d", nextSample.getAndIncrement()));
            }
            selected.put(env.get("WINNOW_TAG"), ids);
            modelVersions.put(env.get("WINNOW_TAG"), env.getOrDefault("WINNOW_TRAINING_RUN", "none"));
            write(local(env.get("WINNOW_SELECTION_OUT")), ids.stream().map(id -> "{\"id\":\"" + id + "\"}")
                    .collect(Collectors.joining("\n", "", "\n")));
            return TestKubelet.PodResult.ok("{\"selected\":" + ids.size() + ",\"selection\":\"" + env.get("WINNOW_SELECTION_OUT") + "\"}");
        }).on("await-labels", (job, i, env) -> {
            Map<String, String> pod = new HashMap<>(env);
            pod.put("WINNOW_SELECTION", TestData.file(local(env.get("WINNOW_SELECTION"))).toString());
            pod.put("WINNOW_LABELS_URI", TestData.dir(local(env.get("WINNOW_LABELS_URI"))).toString());
            pod.put("WINNOW_TERMINATION_LOG", bucket.resolve(job.getMetadata().getName() + ".log").toString());
            pod.put("WINNOW_POLL_SECONDS", "0.05");
            pod.put("WINNOW_REPORT_SECONDS", "0");
            pod.put("WINNOW_DEADLINE_SECONDS", "60");
            StepResult result = Steps.run("await-labels", pod);
            return new TestKubelet.PodResult(result.exitCode(), result.toJson());
        });
    }

    @Test
    void partialLabelStudioDropsReleaseTrainingAndShowProgress() {
        Dataset dataset = Manifests.dataset("fashion");
        dataset.getSpec().labels.format = LabelFormat.LabelStudio;
        create(dataset);
        ActiveLearningLoop loop = Manifests.loop("fashion", "fashion", 2);
        loop.getSpec().labeling.mode = LabelingMode.External;
        loop.getSpec().labeling.proceedAfter = 5;
        loop.getSpec().initialSelection.count = 10;
        loop.getSpec().round.selection.count = 10;
        create(loop);

        // the first pick waits with nothing labeled
        await(SelectionRound.class, "fashion-r0", s -> phase(s, "AwaitingLabels"));
        assertNull(get(TrainingRun.class, "fashion-r1"));

        // drop 1: six of round 0 labeled (one of them twice, in a duplicated task), one skipped
        List<String> r0 = selected.get("fashion-r0");
        Map<String, String> labels = new HashMap<>();
        r0.subList(0, 6).forEach(id -> labels.put(id, "a"));
        labels.put(r0.get(6), null);
        drop(labels, r0.get(0));
        var r0Status = await(SelectionRound.class, "fashion-r0", s -> phase(s, "Succeeded")).getStatus();
        assertEquals(List.of(6L, 1L, 3L), List.of(r0Status.labeled, r0Status.skipped, r0Status.open));
        await(TrainingRun.class, "fashion-r1", s -> s.phase != null);

        // round 1 waits; drop 2 re-exports round 0 (its last three labeled now) and two of round 1
        var waiting = await(SelectionRound.class, "fashion-r1", s -> phase(s, "AwaitingLabels"));
        List<String> r1 = selected.get("fashion-r1");
        assertEquals(10, r1.size());
        assertEquals(Map.of("fashion-r0", "none", "fashion-r1", "fashion-r1"), modelVersions,
                "round 1's label request names the TrainingRun that pre-annotated it");
        r0.subList(7, 10).forEach(id -> labels.put(id, "b"));
        r1.subList(0, 2).forEach(id -> labels.put(id, "b"));
        r1.subList(2, 3).forEach(id -> labels.put(id, null));
        drop(labels, null);
        var progress = await(SelectionRound.class, "fashion-r1", s -> s.labeled != null && s.labeled == 2).getStatus();
        assertEquals("AwaitingLabels", progress.phase, "two labels of the five it waits for");
        assertEquals(List.of(2L, 1L, 7L), List.of(progress.labeled, progress.skipped, progress.open));
        String message = Conditions.find(progress, Conditions.PROGRESSING).orElseThrow().getMessage();
        assertTrue(message.contains("2 labeled, 1 skipped, 7 open"), message);
        assertEquals(1, progress.labelReports);
        assertTrue(progress.awaitJob.endsWith("-await-2"), progress.awaitJob);
        assertEquals("2/1", TrainingRunReconcilerTest.env(cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE)
                .withName(progress.awaitJob).get()).get("WINNOW_LABELS_REPORTED"), "the next wait knows what status holds");
        assertNull(get(TrainingRun.class, "fashion-r2"), "online mode still waits for five");

        // drop 3: enough of round 1
        r1.subList(3, 6).forEach(id -> labels.put(id, "a"));
        drop(labels, null);
        var status = await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Succeeded")).getStatus();
        assertEquals(List.of(6L, 11L), status.history.stream().map(h -> h.labeled).toList(),
                "round 1 trained after drop 1; round 2 after drop 3");
        SelectionRound done = get(SelectionRound.class, "fashion-r1");
        assertEquals(List.of(5L, 1L, 4L), List.of(done.getStatus().labeled, done.getStatus().skipped, done.getStatus().open));
        assertEquals(waiting.getStatus().selection, done.getStatus().selection);
        assertTrue(cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).withName("fashion-r1-await").get() == null,
                "the Job that reported progress is deleted once recorded");
    }

    /**
     * Writes a Label Studio export of every task labeled so far (a re-export holds the earlier drops
     * too); a null label is a task the annotator skipped. {@code duplicate} appears as a second task.
     */
    private void drop(Map<String, String> labels, String duplicate) {
        ArrayNode tasks = JSON.createArrayNode();
        labels.forEach((id, label) -> task(tasks, id, label));
        if (duplicate != null) {
            task(tasks, duplicate, labels.get(duplicate));
        }
        Path labelsDir = local(Manifests.dataset("fashion").getSpec().labels.uri);
        write(labelsDir.resolve("project-1-at-drop-" + drops.incrementAndGet() + ".json"), tasks.toPrettyString());
    }

    private static void task(ArrayNode tasks, String id, String label) {
        ObjectNode task = tasks.addObject().put("id", tasks.size());
        task.putObject("data").put("image", "s3://data/fashion/" + id + ".png").put("winnow_id", id);
        ObjectNode annotation = task.putArray("annotations").addObject().put("id", tasks.size())
                .put("was_cancelled", label == null).put("updated_at", "2026-01-02T10:00:00Z");
        ArrayNode result = annotation.putArray("result");
        if (label != null) {
            result.addObject().put("from_name", "label").put("to_name", "image").put("type", "choices")
                    .putObject("value").putArray("choices").add(label);
        }
    }

    /** As an object store does: a reader sees the whole file or none of it. */
    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".part-", ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
