package dev.winnow.local.demo;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.local.kubelet.LocalExecutor;
import dev.winnow.local.kubelet.ScriptedSteps;
import dev.winnow.local.kubelet.StepLauncher;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole demo session with a stand-in for the operator (it creates step Jobs and writes the loop's status the
 * way the real one will) and scripts for the worker: embedded API, executor, progress output and the files.
 */
class DemoSessionTest {
    @TempDir
    Path dir;

    static final StepLauncher SCRIPTS = (args, env, wd, log) -> {
        String script = switch (args.get(1)) {
            case "train" -> "echo training round $ROUND; echo \"{\\\"metrics\\\":{\\\"accuracy\\\":0.$((50 + ROUND * 10))}}\" > \"$WINNOW_TERMINATION_LOG\"";
            case "select" -> "echo '{\"selected\":100}' > \"$WINNOW_TERMINATION_LOG\"";
            default -> "exit 1";
        };
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).directory(wd.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    };

    @Test
    void runsTheLoopsAndWritesTheTableTheCsvAndThePictures() throws Exception {
        var settings = new DemoManifests.Settings(dir, Path.of("/usr/share/datasets/fashion-mnist"), 3, 200, null, 200,
                "margin", 1L, true);
        var options = new DemoSession.Options(dir, true, DemoSession.manifests(null), settings, 0, 2,
                ScriptedSteps.IMAGE, SCRIPTS, DemoSessionTest::fakeOperator, Duration.ofMillis(200));
        String out = runToSuccess(options);
        assertTrue(out.contains("kubectl get activelearningloops -w"), out);
        assertTrue(out.matches("(?s).*\\[\\s*\\d+:\\d\\d] train\\s+fashion-r1-train\\s+done in \\d+s.*"), out);
        assertTrue(out.matches("(?s).*fashion\\s+3\\s+800\\s+0\\.8000\\s+\\d+\\.\\ds.*"), out);

        List<String> csv = Files.readAllLines(dir.resolve("rounds.csv"));
        assertEquals("round,labeled,accuracy,selection_seconds,strategy", csv.get(0));
        assertEquals(7, csv.size(), "3 rounds of margin, 3 of the random baseline: " + csv);
        assertTrue(csv.get(1).startsWith("1,400,0.6000,") && csv.get(1).endsWith(",margin"), csv.get(1));
        assertTrue(csv.get(3).startsWith("3,800,0.8000,"), csv.get(3));
        assertTrue(csv.get(4).endsWith(",random"), csv.get(4));

        var svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("learning-curve.svg").toFile());
        assertEquals(2, svg.getElementsByTagName("polyline").getLength());
        assertTrue(ImageIO.read(dir.resolve("learning-curve.png").toFile()).getWidth() > LearningCurve.WIDTH, "the plot and its legend");
        assertTrue(Files.exists(dir.resolve("kubeconfig")));
        assertTrue(Files.readString(dir.resolve(ApiSnapshot.FILE)).contains("fashion-r3-train"), "state saved on exit");
        assertTrue(Files.readString(dir.resolve("logs/fashion-r2-train-0-0.log")).contains("training round 2"));
    }

    /** Runs a session to its end and returns what it printed; fails unless every loop succeeded. */
    static String runToSuccess(DemoSession.Options options) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit;
        try (DemoSession session = new DemoSession(options, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            exit = session.run();
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, out);
        return out;
    }

    /** Plays the operator: per round a train Job, a select Job, a SelectionRound, and a history entry. */
    static AutoCloseable fakeOperator(KubernetesClient client, String image) {
        List<Thread> threads = new ArrayList<>();
        for (ActiveLearningLoop loop : client.resources(ActiveLearningLoop.class).list().getItems()) {
            Thread t = new Thread(() -> drive(client, image, loop));
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        return () -> threads.forEach(Thread::interrupt);
    }

    private static void drive(KubernetesClient client, String image, ActiveLearningLoop loop) {
        try {
            String name = loop.getMetadata().getName();
            var spec = loop.getSpec();
            long labeled = spec.initialSelection.count;
            List<Map<String, Object>> history = new ArrayList<>();
            for (int r = 1; r <= spec.stopWhen.maxRounds; r++) {
                Job train = runJob(client, image, name + "-r" + r + "-train", "train", r);
                double accuracy = Serialization.unmarshal(client.pods().withLabel(LocalExecutor.JOB_NAME_LABEL,
                                train.getMetadata().getName()).list().getItems().get(0).getStatus().getContainerStatuses()
                        .get(0).getState().getTerminated().getMessage(), Map.class).get("metrics") instanceof Map<?, ?> m
                        ? ((Number) m.get("accuracy")).doubleValue() : -1;
                String srName = name + "-r" + r;
                client.resource(Serialization.unmarshal("""
                        apiVersion: winnow.dev/v1alpha1
                        kind: SelectionRound
                        metadata: {name: %s}
                        spec: {datasetRef: %s, strategy: {name: %s}, count: %d}
                        """.formatted(srName, spec.datasetRef, spec.round.selection.strategy.name, spec.round.selection.count),
                        GenericKubernetesResource.class)).create();
                runJob(client, image, srName + "-select", "select", r);
                client.resources(SelectionRound.class).withName(srName).subresource("status").patch(
                        PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"selectJob\":\"" + srName + "-select\"}}");
                labeled += spec.round.selection.count;
                history.add(Map.of("round", r, "trainingRun", name + "-r" + r, "selectionRound", srName,
                        "labeled", labeled, "metrics", Map.of("accuracy", accuracy)));
                client.resources(ActiveLearningLoop.class).withName(name).subresource("status").patch(
                        PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", Map.of(
                                "phase", "Running", "round", r, "labeled", labeled, "lastMetric", accuracy,
                                "history", history))));
            }
            client.resources(ActiveLearningLoop.class).withName(name).subresource("status").patch(
                    PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Succeeded\",\"stopReason\":\"MaxRounds\"}}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Job runJob(KubernetesClient client, String image, String name, String step, int round)
            throws InterruptedException {
        client.batch().v1().jobs().resource(new JobBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withBackoffLimit(0).withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("step").withImage(image).withArgs("worker", step)
                .addNewEnv().withName("ROUND").withValue(Integer.toString(round)).endEnv()
                .endContainer().endSpec().endTemplate().endSpec().build()).create();
        while (true) {
            Job job = client.batch().v1().jobs().withName(name).get();
            if (ProgressPrinter.finished(job) != null) {
                return job;
            }
            Thread.sleep(50);
        }
    }
}
