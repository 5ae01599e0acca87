package dev.winnow.local.kubelet;

import dev.winnow.local.api.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

import static dev.winnow.local.kubelet.ScriptedSteps.IMAGE;
import static dev.winnow.local.kubelet.ScriptedSteps.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The executor against the embedded API, with small shell scripts in place of the worker ({@link ScriptedSteps}). */
class LocalExecutorTest {
    @TempDir
    static Path workdir;
    static EmbeddedApiServer api;
    static KubernetesClient client;

    @BeforeAll
    static void start() throws IOException {
        api = EmbeddedApiServer.start(workdir, 0);
        client = api.client();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static LocalExecutor executor() {
        return new LocalExecutor(client, EmbeddedApiServer.NAMESPACE,
                new LocalExecutor.Settings(IMAGE, 2, workdir, Duration.ZERO), ScriptedSteps.LAUNCHER).start();
    }

    @Test
    void runsAJobsPodAndReportsItsTerminationMessage() throws Exception {
        try (LocalExecutor ignored = executor()) {
            client.batch().v1().jobs().resource(job("ok-job", "ok", 2, null)).create();
            Job job = await("ok-job", j -> condition(j, "Complete") != null);
            assertEquals(1, job.getStatus().getSucceeded());
            assertEquals(0, job.getStatus().getActive());
            assertNotNull(job.getStatus().getStartTime());
            assertNotNull(job.getStatus().getCompletionTime());

            Pod pod = client.pods().withName("ok-job-0-0").get();
            assertEquals("Succeeded", pod.getStatus().getPhase());
            assertEquals("ok-job", pod.getMetadata().getLabels().get("job-name"));
            assertEquals("ok-job", pod.getMetadata().getLabels().get("batch.kubernetes.io/job-name"));
            assertEquals(job.getMetadata().getUid(), pod.getMetadata().getOwnerReferences().get(0).getUid());
            assertEquals("Job", pod.getMetadata().getOwnerReferences().get(0).getKind());
            ContainerStateTerminated t = terminated(pod);
            assertEquals(0, t.getExitCode());
            assertEquals("Completed", t.getReason());
            assertEquals("{\"ok\":1}", t.getMessage());
            assertTrue(Files.readString(workdir.resolve("logs/ok-job-0-0.log")).contains("training"));
        }
    }

    @Test
    void retriesFailedPodsUpToTheBackoffLimitThenFails() throws Exception {
        try (LocalExecutor ignored = executor()) {
            client.batch().v1().jobs().resource(job("fail-job", "fail", 2, null)).create();
            Job job = await("fail-job", j -> condition(j, "Failed") != null);
            JobCondition failed = condition(job, "Failed");
            assertEquals("BackoffLimitExceeded", failed.getReason());
            assertTrue(failed.getMessage().contains("boom: out of labels"), failed.getMessage());
            assertEquals(3, job.getStatus().getFailed(), "one run and backoffLimit=2 retries");
            assertEquals(null, job.getStatus().getCompletionTime());
            for (int attempt = 0; attempt < 3; attempt++) {
                Pod pod = client.pods().withName("fail-job-0-" + attempt).get();
                assertEquals("Failed", pod.getStatus().getPhase());
                ContainerStateTerminated t = terminated(pod);
                assertEquals(3, t.getExitCode());
                assertEquals("Error", t.getReason());
                // nothing in the termination log: FallbackToLogsOnError takes the log's last lines
                assertEquals("starting\nboom: out of labels", t.getMessage());
            }
            assertEquals(null, client.pods().withName("fail-job-0-3").get());
        }
    }

    @Test
    void aRetrySucceedsWithinTheBackoffLimit() throws Exception {
        try (LocalExecutor ignored = executor()) {
            client.batch().v1().jobs().resource(job("flaky-job", "flaky", 1, null)).create();
            Job job = await("flaky-job", j -> condition(j, "Complete") != null);
            assertEquals(1, job.getStatus().getFailed());
            assertEquals(1, job.getStatus().getSucceeded());
            assertEquals("{\"ok\":2}", terminated(client.pods().withName("flaky-job-0-1").get()).getMessage());
        }
    }

    @Test
    void runsOnePodPerIndexWithItsEnvironment() throws Exception {
        client.secrets().resource(new SecretBuilder().withNewMetadata().withName("s3-creds").endMetadata()
                .addToData("AWS_ACCESS_KEY_ID", java.util.Base64.getEncoder().encodeToString("AKIA123".getBytes()))
                .build()).create();
        client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("s3-conf").endMetadata()
                .addToData("region", "eu-west-1").build()).create();
        Job j = job("shard-job", "shard", 0, null);
        j.getSpec().setCompletionMode("Indexed");
        j.getSpec().setCompletions(3);
        j.getSpec().setParallelism(3);
        j.getSpec().getTemplate().getSpec().getContainers().get(0).setEnv(List.of(
                new EnvVarBuilder().withName("AWS_ACCESS_KEY_ID").withNewValueFrom().withNewSecretKeyRef("AWS_ACCESS_KEY_ID", "s3-creds", false)
                        .endValueFrom().build(),
                new EnvVarBuilder().withName("AWS_REGION").withNewValueFrom().withNewConfigMapKeyRef("region", "s3-conf", false)
                        .endValueFrom().build(),
                new EnvVarBuilder().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
                        .endFieldRef().endValueFrom().build(),
                new EnvVarBuilder().withName("BASE").withValue("file:///data").build(),
                new EnvVarBuilder().withName("URI").withValue("$(BASE)/part").build()));
        try (LocalExecutor ignored = executor()) {
            client.batch().v1().jobs().resource(j).create();
            Job job = await("shard-job", x -> condition(x, "Complete") != null);
            assertEquals(3, job.getStatus().getSucceeded());
            assertEquals("0-2", job.getStatus().getCompletedIndexes());
            for (int i = 0; i < 3; i++) {
                Pod pod = client.pods().withName("shard-job-" + i + "-0").get();
                assertEquals(Integer.toString(i), pod.getMetadata().getLabels().get(LocalExecutor.INDEX_LABEL));
                assertEquals("{\"shard\":" + i + ",\"key\":\"AKIA123\",\"region\":\"eu-west-1\",\"pod\":\"shard-job-" + i
                        + "-0\",\"uri\":\"file:///data/part\"}", terminated(pod).getMessage());
            }
        }
    }

    @Test
    void refusesImagesOtherThanTheWorkers() throws Exception {
        Job j = job("foreign-job", "ok", 3, null);
        j.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nvcr.io/nvidia/tao:5.0");
        int before = ScriptedSteps.launchesByStep.getOrDefault("ok", 0);
        try (LocalExecutor ignored = executor()) {
            client.batch().v1().jobs().resource(j).create();
            Job job = await("foreign-job", x -> condition(x, "Failed") != null);
            JobCondition failed = condition(job, "Failed");
            assertEquals("PodFailurePolicy", failed.getReason());
            assertTrue(failed.getMessage().contains("nvcr.io/nvidia/tao:5.0"), failed.getMessage());
            Pod pod = client.pods().withName("foreign-job-0-0").get();
            assertEquals("Failed", pod.getStatus().getPhase());
            String message = terminated(pod).getMessage();
            assertTrue(message.contains("can only run Winnow's worker image (" + IMAGE + ")"), message);
            assertTrue(message.contains("nvcr.io/nvidia/tao:5.0"), message);
            assertEquals(null, client.pods().withName("foreign-job-0-1").get(), "refusal is not retried");
        }
        assertEquals(before, ScriptedSteps.launchesByStep.getOrDefault("ok", 0), "nothing was started for a foreign image");
    }

    @Test
    void runsInitContainersFirst() throws Exception {
        Job j = job("init-job", "after-init", 0, null);
        var init = Serialization.clone(j.getSpec().getTemplate().getSpec().getContainers().get(0));
        init.setName("init");
        init.setArgs(List.of("worker", "init"));
        j.getSpec().getTemplate().getSpec().setInitContainers(List.of(init));
        try (LocalExecutor ignored = executor()) {
            client.batch().v1().jobs().resource(j).create();
            await("init-job", x -> condition(x, "Complete") != null);
            Pod pod = client.pods().withName("init-job-0-0").get();
            assertEquals(0, pod.getStatus().getInitContainerStatuses().get(0).getState().getTerminated().getExitCode());
            assertEquals("{\"init\":true}", terminated(pod).getMessage());
        }
    }

    @Test
    void failsAJobPastItsActiveDeadline() throws Exception {
        try (LocalExecutor ignored = executor()) {
            client.batch().v1().jobs().resource(job("slow-job", "sleep", 3, 1L)).create();
            Job job = await("slow-job", x -> condition(x, "Failed") != null);
            assertEquals("DeadlineExceeded", condition(job, "Failed").getReason());
            Pod pod = await(() -> client.pods().withName("slow-job-0-0").get(),
                    p -> "Failed".equals(p.getStatus().getPhase()));
            assertTrue(terminated(pod).getExitCode() >= 128, "killed by a signal: " + terminated(pod).getExitCode());
        }
    }

    @Test
    void aRestartedExecutorRerunsInterruptedPodsAndLeavesFinishedJobsAlone() throws Exception {
        Job done = job("done-job", "ok", 0, null);
        client.batch().v1().jobs().resource(done).create();
        client.batch().v1().jobs().withName("done-job").subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\":{\"succeeded\":1,\"conditions\":[{\"type\":\"Complete\",\"status\":\"True\"}]}}");

        client.batch().v1().jobs().resource(job("resumed-job", "sleep", 0, null)).create();
        LocalExecutor first = executor();
        await(() -> client.pods().withName("resumed-job-0-0").get(),
                p -> p != null && "Running".equals(p.getStatus().getPhase()));
        first.close();
        Pod interrupted = client.pods().withName("resumed-job-0-0").get();
        assertEquals("Failed", interrupted.getStatus().getPhase());
        assertTrue(interrupted.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("DisruptionTarget")));
        Job stopped = client.batch().v1().jobs().withName("resumed-job").get();
        assertEquals(0, stopped.getStatus().getActive());
        assertEquals(null, condition(stopped, "Failed"));

        // the same Job, now with a step that finishes: the new executor runs it again as attempt 1
        client.batch().v1().jobs().withName("resumed-job").edit(j -> {
            j.getSpec().getTemplate().getSpec().getContainers().get(0).setArgs(List.of("worker", "ok"));
            return j;
        });
        try (LocalExecutor ignored = executor()) {
            Job job = await("resumed-job", x -> condition(x, "Complete") != null);
            assertEquals(0, job.getStatus().getFailed(), "an interrupted pod does not count against backoffLimit");
            assertEquals("Succeeded", client.pods().withName("resumed-job-0-1").get().getStatus().getPhase());
            Thread.sleep(300);
            assertTrue(client.pods().withLabel(LocalExecutor.JOB_NAME_LABEL, "done-job").list().getItems().isEmpty(),
                    "a finished Job gets no pods");
        }
    }

    // ---- helpers ----

    static JobCondition condition(Job job, String type) {
        if (job == null || job.getStatus() == null || job.getStatus().getConditions() == null) {
            return null;
        }
        return job.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElse(null);
    }

    static ContainerStateTerminated terminated(Pod pod) {
        return pod.getStatus().getContainerStatuses().stream().max(Comparator.comparing(c -> c.getName()))
                .orElseThrow().getState().getTerminated();
    }

    static Job await(String name, Predicate<Job> done) throws InterruptedException {
        return await(() -> client.batch().v1().jobs().withName(name).get(), done);
    }

    static <T> T await(java.util.function.Supplier<T> get, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = get.get();
            if (last != null && done.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out; last seen: " + Serialization.asYaml(last));
    }

    @Test
    void workerImagesMatchByRepositoryNotTag() throws Exception {
        WorkerImage image = new WorkerImage(IMAGE);
        var c = new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("x").withImage("ghcr.io/winnow-dev/worker:dev")
                .withArgs("worker", "train").build();
        assertEquals(List.of("worker", "train"), image.winnowArgs(c));
        c.setCommand(List.of("/usr/bin/winnow"));
        assertEquals(List.of("worker", "train"), image.winnowArgs(c));
        c.setCommand(List.of("python", "train.py"));
        assertFalse(canRun(image, c));
        c.setCommand(null);
        c.setImage("ghcr.io/winnow-dev/worker-cuda:0.1.0");
        assertFalse(canRun(image, c));
        assertEquals("localhost:5000/worker", WorkerImage.repository("localhost:5000/worker:1@sha256:abc"));
    }

    private static boolean canRun(WorkerImage image, io.fabric8.kubernetes.api.model.Container c) {
        try {
            image.winnowArgs(c);
            return true;
        } catch (WorkerImage.Refused e) {
            return false;
        }
    }
}
