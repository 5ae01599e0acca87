package dev.winnow.cluster;

import dev.winnow.Needs;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.TrainingRunStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training engines as the real API server sees them, with the CRDs their projects release (WINNOW_ENGINE_CRDS,
 * default ../shared/k8s/crds: the training operator v1.9.0's PyTorchJob, Kubeflow Trainer v2.1.0's and v2.3.0's
 * TrainJob, Kueue v0.14.0's Workload). No engine controller runs here: {@link EngineController} plays each one,
 * writing the status the real one writes. Every engine object Winnow creates passes a strict create, so a field
 * the CRD would drop is an error; reading the object back shows the fields it carries.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EnginesRealClusterIT {
    static final String SYSTEM = "winnow-engines";
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
    static final String RESULT = "{\"checkpoint\": \"file:///data/work/fashion/artifacts/runs/engine/model/\", \"trained\": 20,"
            + " \"metrics\": {\"accuracy\": 0.61}}";

    /** A distributed training image (the built-in trainer is single-node); its pods never run here, the controller is played. */
    static final String PYTORCH_JOB = "{engine: PyTorchJob, nodes: 2, serviceAccountName: trainer, image: " + RealCluster.WORKER_IMAGE + "}";
    static final String TRAIN_JOB = "{engine: TrainJob, nodes: 2, serviceAccountName: trainer, image: " + RealCluster.WORKER_IMAGE + "}";

    static Path crds;
    static Installation winnow;
    static KubernetesClient client;
    static Tenant team;

    @BeforeAll
    static void installEnginesAndWinnow() throws Exception {
        crds = Path.of(System.getenv().getOrDefault("WINNOW_ENGINE_CRDS", "../shared/k8s/crds"));
        Needs.require(Files.isRegularFile(crds.resolve("kubeflow-trainer-v2.1.0/trainjobs.yaml")),
                "no released engine CRDs in " + crds.toAbsolutePath() + ": set WINNOW_ENGINE_CRDS (see ../shared/k8s/crds/README.md)");
        RealCluster cluster = RealCluster.get();
        applyCrds(cluster, "kubeflow-training-operator-v1.9.0/pytorchjobs.yaml", "kueue-v0.14.0/workloads.yaml",
                "kubeflow-trainer-v2.1.0/trainjobs.yaml", "kubeflow-trainer-v2.1.0/trainingruntimes.yaml",
                "kubeflow-trainer-v2.1.0/clustertrainingruntimes.yaml");
        cluster.kubectl("apply", "--server-side", "-f", crds.resolve("kubeflow-trainer-v2.1.0/torch-distributed-runtime.yaml").toString());
        winnow = Installation.install("winnow", SYSTEM, Map.of("trainingEngines.pytorchJob", "true",
                "trainingEngines.trainJob", "true", "kueue.workloads", "true"));
        client = winnow.client;
        team = Tenant.create(cluster, "team-engines", 200);
        client.resource(new ServiceAccountBuilder().withNewMetadata().withName("trainer").withNamespace(team.namespace()).endMetadata()
                .build()).create();
        client.resource(team.dataset("fashion")).create();
        // labels to train on: a random pick of 20, labeled from the IDX ground truth
        client.resource(team.load(SelectionRound.class, """
                apiVersion: winnow.dev/v1alpha1
                kind: SelectionRound
                metadata: {name: first-pick, namespace: %s}
                spec: {datasetRef: fashion, strategy: {name: Random}, count: 20, labeling: {mode: Simulated}, seed: 1}
                """.formatted(team.namespace()))).create();
        winnow.until(RUN_TIMEOUT, () -> Installation.phaseIn(status(SelectionRound.class, "first-pick"), "Succeeded"),
                () -> winnow.describe(team.namespace()));
    }

    @AfterAll
    static void uninstall() {
        if (winnow != null) {
            winnow.uninstall();
        }
    }

    private static void applyCrds(RealCluster cluster, String... files) {
        for (String file : files) {
            // server-side: these CRDs are larger than client-side apply's last-applied annotation may be
            cluster.kubectl("apply", "--server-side", "--force-conflicts", "-f", crds.resolve(file).toString());
        }
        cluster.kubectl("wait", "--for", "condition=Established", "--timeout", "60s", "crd", "--all");
    }

    @Test
    @Order(1)
    void aPyTorchJobPassesTheReleasedSchemaWholeShowsItsRunningPodsAndEndsWithRankZerosResult() {
        create("pt-ok", PYTORCH_JOB, "");
        EngineController engine = new EngineController(client, EngineController.PYTORCH_JOBS, team.namespace());
        GenericKubernetesResource job = awaitEngine(engine, "pt-ok-train");

        Map<String, Object> spec = map(job.getAdditionalProperties().get("spec"));
        Map<String, Object> replicas = map(spec.get("pytorchReplicaSpecs"));
        assertEquals(1, map(replicas.get("Master")).get("replicas"));
        assertEquals(1, map(replicas.get("Worker")).get("replicas"), "nodes - 1 workers");
        Map<String, Object> pod = map(map(map(replicas.get("Master")).get("template")).get("spec"));
        assertEquals("trainer", pod.get("serviceAccountName"));
        assertTrue(list(pod.get("volumes")).stream().anyMatch(v -> "data".equals(v.get("name"))), "the Dataset's volume: " + pod.get("volumes"));
        assertEquals("RuntimeDefault", map(map(pod.get("securityContext")).get("seccompProfile")).get("type"));
        Map<String, Object> container = list(pod.get("containers")).get(0);
        assertEquals("pytorch", container.get("name"));
        assertEquals(false, map(container.get("securityContext")).get("allowPrivilegeEscalation"));
        assertTrue(list(container.get("env")).stream().anyMatch(e -> "WINNOW_STEP".equals(e.get("name")) && "train".equals(e.get("value"))));

        List<Pod> pods = engine.startPods("pt-ok-train", 2);
        awaitRun("pt-ok", s -> s.message != null && s.message.contains("2 of 2 pods running"));
        engine.succeed("pt-ok-train", pods.get(0), RESULT);
        TrainingRunStatus done = awaitRun("pt-ok", s -> Installation.phaseIn(s, "Succeeded", "Failed"));
        assertEquals("Succeeded", done.phase, done.message);
        assertEquals(0.61, done.accuracy, 1e-9, "rank 0's termination message is the step's result");
        assertEquals("file:///data/work/fashion/artifacts/runs/engine/model/", done.checkpoint);
    }

    @Test
    @Order(2)
    void aFailedPyTorchJobSaysWhatRankZeroSaidThoughTheControllerDeletedItsPodsFirst() {
        create("pt-oom", PYTORCH_JOB, "");
        EngineController engine = new EngineController(client, EngineController.PYTORCH_JOBS, team.namespace());
        awaitEngine(engine, "pt-oom-train");
        List<Pod> pods = engine.startPods("pt-oom-train", 2);
        engine.restartInPlace(pods.get(0), "{\"error\": \"CUDA out of memory. Tried to allocate 2.00 GiB\"}");
        // the operator looks at a running engine every 15 s; the controller's own back-off between restarts is 10 s and more
        awaitRun("pt-oom", s -> s.rankZeroError != null);
        engine.failAfterBackoff("pt-oom-train", pods);
        TrainingRunStatus failed = awaitRun("pt-oom", s -> Installation.phaseIn(s, "Succeeded", "Failed"));
        assertEquals("Failed", failed.phase);
        assertEquals("step train failed on rank 0: CUDA out of memory. Tried to allocate 2.00 GiB", failed.message);
    }

    @Test
    @Order(3)
    void aPyTorchJobKueueHoldsIsQueuedWithTheWorkloadsReason() {
        create("pt-queued", PYTORCH_JOB, "");
        EngineController engine = new EngineController(client, EngineController.PYTORCH_JOBS, team.namespace());
        awaitEngine(engine, "pt-queued-train");
        engine.queue("pt-queued-train", "couldn't assign flavors to pod set master: insufficient quota for nvidia.com/gpu");
        TrainingRunStatus queued = awaitRun("pt-queued", s -> s.message != null && s.message.startsWith("Queued: "));
        assertEquals("Queued: PyTorchJob pt-queued-train is suspended until Kueue admits it (couldn't assign flavors to pod set"
                + " master: insufficient quota for nvidia.com/gpu)", queued.message);
    }

    @Test
    @Order(4)
    void deletingARunLeavesNoEngineObjectBehind() {
        client.resources(TrainingRun.class).inNamespace(team.namespace()).withName("pt-queued").delete();
        winnow.until(Duration.ofMinutes(2), () -> new EngineController(client, EngineController.PYTORCH_JOBS, team.namespace())
                .get("pt-queued-train") == null, () -> "the PyTorchJob outlived its run");
    }

    @Test
    @Order(5)
    void aTrainJobOnTrainerV21CarriesItsOverridesAndARunNamedWithADigitFirstRuns() {
        create("1st-run", TRAIN_JOB, "");
        EngineController engine = new EngineController(client, EngineController.TRAIN_JOBS, team.namespace());
        String name = awaitRunsEngine("1st-run");
        assertTrue(name.matches("^[a-z]([-a-z0-9]*[a-z0-9])?$") && name.startsWith("run-1st-run-"), name);
        GenericKubernetesResource job = engine.get(name);
        Map<String, Object> spec = map(job.getAdditionalProperties().get("spec"));
        Map<String, Object> override = list(spec.get("podTemplateOverrides")).get(0);
        Map<String, Object> pod = map(override.get("spec"));
        assertEquals("trainer", pod.get("serviceAccountName"));
        assertTrue(list(pod.get("volumes")).stream().anyMatch(v -> "data".equals(v.get("name"))), String.valueOf(pod.get("volumes")));
        assertEquals("train", map(map(override.get("metadata")).get("labels")).get("winnow.dev/step"));
        assertEquals(2, map(spec.get("trainer")).get("numNodes"));
        assertFalse(spec.containsKey("activeDeadlineSeconds"), "v2.1 has none");

        List<Pod> pods = engine.startPods(name, 2);
        awaitRun("1st-run", s -> s.message != null && s.message.contains("2 of 2 pods running"));
        engine.succeed(name, pods.get(0), RESULT);
        TrainingRunStatus done = awaitRun("1st-run", s -> Installation.phaseIn(s, "Succeeded", "Failed"));
        assertEquals("Succeeded", done.phase, done.message);
    }

    @Test
    @Order(6)
    void aDeadlineOnTrainerV21FailsTheRunNamingTheVersion() {
        create("tj21-deadline", TRAIN_JOB, "activeDeadlineSeconds: 3600");
        TrainingRunStatus failed = awaitRun("tj21-deadline", s -> Installation.phaseIn(s, "Succeeded", "Failed"));
        assertEquals("Failed", failed.phase);
        assertEquals("EngineVersionUnsupported", reason(failed));
        assertTrue(failed.message.contains("Kubeflow Trainer v2.1 (podTemplateOverrides), which has no activeDeadlineSeconds"), failed.message);
        assertNull(new EngineController(client, EngineController.TRAIN_JOBS, team.namespace()).get("tj21-deadline-train"));
    }

    @Test
    @Order(7)
    void aTrainJobOnTrainerV23CarriesItsRuntimePatchesSecurityContextsAndDeadline() {
        // Trainer v2.3.0's runtime CRDs cannot be installed on Kubernetes 1.28 (their CEL); its TrainJob CRD can
        for (TrainingRun run : client.resources(TrainingRun.class).inNamespace(team.namespace()).list().getItems()) {
            client.resource(run).delete();
        }
        winnow.until(Duration.ofMinutes(2), () -> client.genericKubernetesResources(EngineController.TRAIN_JOBS).inNamespace(team.namespace())
                .list().getItems().isEmpty(), () -> "TrainJobs left");
        applyCrds(RealCluster.get(), "kubeflow-trainer-v2.3.0/trainjobs.yaml");

        create("tj23", TRAIN_JOB, "activeDeadlineSeconds: 3600");
        EngineController engine = new EngineController(client, EngineController.TRAIN_JOBS, team.namespace());
        GenericKubernetesResource job = awaitEngine(engine, "tj23-train");
        Map<String, Object> spec = map(job.getAdditionalProperties().get("spec"));
        assertEquals(3600, spec.get("activeDeadlineSeconds"));
        Map<String, Object> patch = list(spec.get("runtimePatches")).get(0);
        assertEquals("winnow.dev/operator", patch.get("manager"));
        Map<String, Object> node = list(map(map(map(patch.get("trainingRuntimeSpec")).get("template")).get("spec")).get("replicatedJobs")).get(0);
        Map<String, Object> template = map(map(map(node.get("template")).get("spec")).get("template"));
        assertEquals("train", map(map(template.get("metadata")).get("labels")).get("winnow.dev/step"));
        Map<String, Object> pod = map(template.get("spec"));
        assertEquals("trainer", pod.get("serviceAccountName"));
        assertEquals("RuntimeDefault", map(map(pod.get("securityContext")).get("seccompProfile")).get("type"));
        assertEquals(false, map(list(pod.get("containers")).get(0).get("securityContext")).get("allowPrivilegeEscalation"));
        assertTrue(list(pod.get("volumes")).stream().anyMatch(v -> "data".equals(v.get("name"))));

        List<Pod> pods = engine.startPods("tj23-train", 2);
        engine.succeed("tj23-train", pods.get(0), RESULT);
        TrainingRunStatus done = awaitRun("tj23", s -> Installation.phaseIn(s, "Succeeded", "Failed"));
        assertEquals("Succeeded", done.phase, done.message);
    }

    private static void create(String name, String trainer, String extra) {
        client.resource(team.load(TrainingRun.class, """
                apiVersion: winnow.dev/v1alpha1
                kind: TrainingRun
                metadata: {name: %s, namespace: %s}
                spec:
                  datasetRef: fashion
                  trainOn: {allLabeled: true}
                  trainer: %s
                  inference: {skip: true}
                  %s
                """.formatted(name, team.namespace(), trainer, extra))).create();
    }

    private static GenericKubernetesResource awaitEngine(EngineController engine, String name) {
        GenericKubernetesResource[] found = new GenericKubernetesResource[1];
        winnow.until(RUN_TIMEOUT, () -> (found[0] = engine.get(name)) != null, () -> winnow.describe(team.namespace()));
        return found[0];
    }

    /** The name of the engine object the run made (from its status). */
    private static String awaitRunsEngine(String run) {
        String[] name = new String[1];
        winnow.until(RUN_TIMEOUT, () -> {
            TrainingRunStatus s = status(TrainingRun.class, run);
            name[0] = s == null ? null : s.trainJob;
            return name[0] != null && !name[0].endsWith("-prepare");
        }, () -> winnow.describe(team.namespace()));
        return name[0];
    }

    private static TrainingRunStatus awaitRun(String name, Predicate<TrainingRunStatus> condition) {
        winnow.until(RUN_TIMEOUT, () -> {
            TrainingRunStatus s = status(TrainingRun.class, name);
            return s != null && condition.test(s);
        }, () -> "TrainingRun " + name + ": " + client.getKubernetesSerialization().asYaml(status(TrainingRun.class, name)));
        return status(TrainingRun.class, name);
    }

    private static String reason(TrainingRunStatus status) {
        return status.conditions.stream().filter(c -> "Failed".equals(c.getType())).findFirst().orElseThrow().getReason();
    }

    @SuppressWarnings("unchecked")
    private static <S> S status(Class<? extends io.fabric8.kubernetes.client.CustomResource<?, S>> type, String name) {
        var resource = client.resources(type).inNamespace(team.namespace()).withName(name).get();
        return resource == null ? null : (S) resource.getStatus();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }
}
