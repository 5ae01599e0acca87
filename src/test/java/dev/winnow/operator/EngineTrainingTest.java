package dev.winnow.operator;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.TrainerTemplate;
import dev.winnow.api.v1alpha1.TrainingEngine;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.TrainingRunStatus;
import dev.winnow.operator.job.StepJobBuilder;
import dev.winnow.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Train steps on Kubeflow's engines against the mock server, with minimal engine CRDs registered by the
 * test and {@link FakeEngines} playing the engines' controllers: the resource Winnow creates, field by
 * field; rank 0's result; failure; an engine that is not installed; Kueue holding the step; a loop.
 */
class EngineTrainingTest extends ClusterTest {
    static final String QUEUE = "gpu-team";
    static final String IMAGE = "registry.example.com/vision/detector-ddp:2.1";
    private FakeEngines engines;

    @Override
    void startOperators() {
        engines = new FakeEngines(cluster.client, (job, i, env) -> TestKubelet.PodResult.ok("{\"metrics\":{\"accuracy\":0.77},\"checkpoint\":\""
                + env.get("WINNOW_CHECKPOINT_OUT") + "\",\"trained\":100}"));
        cluster.startOperator(OperatorSettings.defaults().withEnginePoll(Duration.ofMillis(200)));
    }

    @AfterEach
    void stopEngines() {
        engines.close();
    }

    static TrainerTemplate distributed(TrainingEngine engine) {
        TrainerTemplate t = new TrainerTemplate();
        t.engine = engine;
        t.image = IMAGE;
        t.command = List.of("torchrun", "/app/train.py");
        t.nodes = 2;
        t.gpus = 4;
        t.env = List.of(new EnvVar("NCCL_DEBUG", "INFO", null));
        return t;
    }

    private TrainingRun run(String name, TrainerTemplate trainer) {
        TrainingRun run = Manifests.trainingRun(name, "fashion");
        run.getMetadata().setLabels(Map.of(StepJobBuilder.KUEUE_QUEUE, QUEUE));
        run.getSpec().trainer = trainer;
        return create(run);
    }

    private GenericKubernetesResource engineResource(ResourceDefinitionContext api, String name) {
        return cluster.client.genericKubernetesResources(api).inNamespace(MockCluster.NAMESPACE).withName(name).get();
    }

    @Test
    void pytorchJobRunsTheStepPodOnEveryNodeAndRankZeroReportsTheResult() {
        FakeEngines.install(cluster.client, "pytorchjobs.kubeflow.org.yaml");
        create(Manifests.dataset("fashion"));
        TrainingRun run = run("fashion-r1", distributed(TrainingEngine.PyTorchJob));

        TrainingRun done = await(TrainingRun.class, "fashion-r1", s -> phase(s, "Succeeded"));
        assertEquals(0.77, done.getStatus().accuracy, 1e-9, "rank 0's termination message is the step's result");
        assertEquals("s3://data/winnow/runs/fashion-r1/attempts/" + done.getStatus().trainAttempt + "/model/", done.getStatus().checkpoint,
                "the place of the prepare Job's attempt, which every rank shares");
        assertEquals(List.of("fashion-index-g1", "fashion-r1-prepare", "fashion-r1-infer"), kubelet.ran(),
                "the id lists are prepared once, in a Job of their own; training is the PyTorchJob's; no train Job");

        GenericKubernetesResource job = engineResource(FakeEngines.PYTORCH_JOBS, "fashion-r1-train");
        assertEquals(QUEUE, job.getMetadata().getLabels().get(StepJobBuilder.KUEUE_QUEUE), "Kueue admits the PyTorchJob as one workload");
        OwnerReference owner = job.getMetadata().getOwnerReferences().get(0);
        assertEquals(List.of("TrainingRun", "fashion-r1", run.getMetadata().getUid(), true),
                List.of(owner.getKind(), owner.getName(), owner.getUid(), owner.getController()));
        Map<String, Object> spec = map(job.getAdditionalProperties().get("spec"));
        assertEquals("4", spec.get("nprocPerNode"), "one process per GPU");
        Map<String, Object> runPolicy = map(spec.get("runPolicy"));
        assertEquals(2, runPolicy.get("backoffLimit"));
        assertEquals("None", runPolicy.get("cleanPodPolicy"), "rank 0's pod stays, with its termination message");
        Map<String, Object> replicas = map(spec.get("pytorchReplicaSpecs"));
        assertEquals(1, map(replicas.get("Master")).get("replicas"));
        assertEquals(1, map(replicas.get("Worker")).get("replicas"), "2 nodes: the master and one worker");
        for (String type : List.of("Master", "Worker")) {
            assertEquals("OnFailure", map(replicas.get(type)).get("restartPolicy"));
            PodSpec pod = Serialization.jsonMapper().convertValue(map(map(replicas.get(type)).get("template")).get("spec"), PodSpec.class);
            Container c = pod.getContainers().get(0);
            assertEquals("pytorch", c.getName(), "the training operator configures the container named pytorch");
            assertEquals(IMAGE, c.getImage());
            assertEquals(List.of("torchrun", "/app/train.py"), c.getCommand());
            assertEquals(new Quantity("4"), c.getResources().getLimits().get("nvidia.com/gpu"), "4 GPUs per pod");
            assertTrue(pod.getTolerations().stream().anyMatch(t -> "nvidia.com/gpu".equals(t.getKey())));
            assertTrue(pod.getVolumes().stream().anyMatch(v -> "dshm".equals(v.getName())), "/dev/shm as a Job step's");
            assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
            assertEquals(QUEUE, job.getMetadata().getLabels().get(StepJobBuilder.KUEUE_QUEUE));
            Map<String, String> env = c.getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
            assertEquals("train", env.get("WINNOW_STEP"));
            assertEquals("INFO", env.get("NCCL_DEBUG"), "the user's variables too");
            assertTrue(pod.getInitContainers().isEmpty(), "prepare ran before, once");
        }
        assertEquals(2, engines.ranks().size());
        String attempt = "s3://data/winnow/runs/fashion-r1/attempts/" + get(TrainingRun.class, "fashion-r1").getStatus().trainAttempt + "/";
        for (FakeEngines.Rank rank : engines.ranks()) {
            assertEquals(attempt + "model/", rank.env().get("WINNOW_CHECKPOINT_OUT"), "every rank gets the contract: " + rank.pod());
            assertEquals(attempt + "train-ids.txt", rank.env().get("WINNOW_TRAIN_IDS"), "the ids the prepare Job wrote");
        }
        Job prepare = cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).withName("fashion-r1-prepare").get();
        assertEquals(QUEUE, prepare.getMetadata().getLabels().get(StepJobBuilder.KUEUE_QUEUE));
        assertNull(prepare.getSpec().getTemplate().getSpec().getContainers().get(0).getResources(), "prepare holds no GPU");
        assertEquals(List.of("worker", "prepare"), prepare.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
    }

    @Test
    void trainJobTakesTheStepContainerAndPodThroughItsTrainerAndOverrides() {
        FakeEngines.install(cluster.client, "trainjobs.trainer.kubeflow.org.yaml");
        create(Manifests.dataset("fashion"));
        TrainerTemplate trainer = distributed(TrainingEngine.TrainJob);
        trainer.serviceAccountName = "trainer";
        TrainingRun run = run("fashion-r1", trainer);

        TrainingRun done = await(TrainingRun.class, "fashion-r1", s -> phase(s, "Succeeded"));
        assertEquals(0.77, done.getStatus().accuracy, 1e-9, "node 0's termination message is the step's result");

        GenericKubernetesResource job = engineResource(FakeEngines.TRAIN_JOBS, "fashion-r1-train");
        assertEquals(QUEUE, job.getMetadata().getLabels().get(StepJobBuilder.KUEUE_QUEUE));
        assertEquals(run.getMetadata().getUid(), job.getMetadata().getOwnerReferences().get(0).getUid());
        Map<String, Object> spec = map(job.getAdditionalProperties().get("spec"));
        assertEquals(Map.of("name", "torch-distributed", "kind", "ClusterTrainingRuntime", "apiGroup", "trainer.kubeflow.org"), spec.get("runtimeRef"));
        Map<String, Object> t = map(spec.get("trainer"));
        assertEquals(IMAGE, t.get("image"));
        assertEquals(2, t.get("numNodes"));
        assertEquals(4, t.get("numProcPerNode"));
        assertEquals("4", map(map(t.get("resourcesPerNode")).get("limits")).get("nvidia.com/gpu"), "4 GPUs per node");
        List<Map<String, Object>> env = list(t.get("env"));
        assertTrue(env.stream().anyMatch(e -> "WINNOW_STEP".equals(e.get("name")) && "train".equals(e.get("value"))));
        // the newest shape (Trainer v2.2+): the mock server takes any field; the real-cluster tier checks each Trainer's own CRD
        Map<String, Object> patch = list(spec.get("runtimePatches")).get(0);
        assertEquals("winnow.dev/operator", patch.get("manager"));
        Map<String, Object> node = list(map(map(map(patch.get("trainingRuntimeSpec")).get("template")).get("spec")).get("replicatedJobs")).get(0);
        assertEquals("node", node.get("name"));
        Map<String, Object> template = map(map(map(node.get("template")).get("spec")).get("template"));
        assertEquals("train", map(map(template.get("metadata")).get("labels")).get(StepJobBuilder.STEP_LABEL));
        Map<String, Object> pod = map(template.get("spec"));
        assertEquals(Map.of("type", "RuntimeDefault"), map(map(pod.get("securityContext")).get("seccompProfile")));
        assertEquals("trainer", pod.get("serviceAccountName"));
        assertTrue(list(pod.get("tolerations")).stream().anyMatch(x -> "nvidia.com/gpu".equals(x.get("key"))));
        assertTrue(list(pod.get("volumes")).stream().anyMatch(v -> "dshm".equals(v.get("name"))));
        Map<String, Object> container = list(pod.get("containers")).get(0);
        assertEquals("node", container.get("name"));
        assertTrue(list(container.get("volumeMounts")).stream().anyMatch(m -> "/dev/shm".equals(m.get("mountPath"))));
        assertEquals(2, engines.ranks().size());
        assertTrue(engines.ranks().stream().allMatch(r -> "train".equals(r.env().get("WINNOW_STEP"))), "every node gets the contract");
    }

    @Test
    void aFailedEngineFailsTheRunInRankZerosWords() {
        engines.close();
        engines = new FakeEngines(cluster.client, (job, i, env) -> TestKubelet.PodResult.fail("{\"error\":\"CUDA out of memory on rank 0\"}"));
        FakeEngines.install(cluster.client, "pytorchjobs.kubeflow.org.yaml");
        create(Manifests.dataset("fashion"));
        run("fashion-r1", distributed(TrainingEngine.PyTorchJob));

        TrainingRun failed = await(TrainingRun.class, "fashion-r1", s -> phase(s, "Failed"));
        var condition = Conditions.find(failed.getStatus(), Conditions.FAILED).orElseThrow();
        assertEquals("TrainFailed", condition.getReason());
        assertEquals("step train failed on rank 0: CUDA out of memory on rank 0", condition.getMessage());
    }

    @Test
    void anEngineThatIsNotInstalledIsAConditionUntilItIs() {
        create(Manifests.dataset("fashion"));
        run("fashion-r1", distributed(TrainingEngine.PyTorchJob));

        TrainingRun waiting = await(TrainingRun.class, "fashion-r1", s -> Conditions.find(s, Conditions.PROGRESSING)
                .filter(c -> "EngineNotInstalled".equals(c.getReason())).isPresent());
        var progressing = Conditions.find(waiting.getStatus(), Conditions.PROGRESSING).orElseThrow();
        assertEquals("False", progressing.getStatus());
        assertTrue(progressing.getMessage().startsWith("PyTorchJob (kubeflow.org/v1) is not served by this cluster"), progressing.getMessage());
        assertFalse(Conditions.isTrue(waiting.getStatus(), Conditions.FAILED), "not a failure: installing the engine lets it go on");

        FakeEngines.install(cluster.client, "pytorchjobs.kubeflow.org.yaml");
        TrainingRunStatus done = await(TrainingRun.class, "fashion-r1", s -> phase(s, "Succeeded")).getStatus();
        assertEquals(0.77, done.accuracy, 1e-9);
    }

    @Test
    void aStepKueueHoldsShowsAsQueued() {
        engines.kueueHolds(true);
        FakeEngines.install(cluster.client, "trainjobs.trainer.kubeflow.org.yaml");
        create(Manifests.dataset("fashion"));
        run("fashion-r1", distributed(TrainingEngine.TrainJob));

        TrainingRun queued = await(TrainingRun.class, "fashion-r1", s -> s.message != null && s.message.startsWith("Queued:"));
        assertEquals("Queued: TrainJob fashion-r1-train is suspended until Kueue admits it", queued.getStatus().message);
        assertEquals("Training", Conditions.find(queued.getStatus(), Conditions.PROGRESSING).orElseThrow().getReason());

        engines.kueueHolds(false);
        cluster.client.genericKubernetesResources(FakeEngines.TRAIN_JOBS).inNamespace(MockCluster.NAMESPACE).withName("fashion-r1-train")
                .edit(r -> {
                    map(r.getAdditionalProperties().get("spec")).put("suspend", false);
                    return r;
                });
        await(TrainingRun.class, "fashion-r1", s -> phase(s, "Succeeded"));
    }

    @Test
    void aJobKueueHoldsShowsAsQueuedWithKueuesReason() {
        FakeEngines.install(cluster.client, "workloads.kueue.x-k8s.io.yaml");
        kubelet.hold("fashion-r1-train");
        create(Manifests.dataset("fashion"));
        TrainerTemplate trainer = new TrainerTemplate();
        trainer.gpus = 8;
        run("fashion-r1", trainer);
        Eventually.until(TIMEOUT, () -> cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).withName("fashion-r1-train").get() != null,
                () -> "no train Job");
        Job job = cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).withName("fashion-r1-train").get();
        String why = "couldn't assign flavors to pod set main: insufficient quota for nvidia.com/gpu in flavor a100, 8 more needed";
        GenericKubernetesResource workload = new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                .withApiVersion("kueue.x-k8s.io/v1beta1").withKind("Workload")
                .withNewMetadata().withName("job-fashion-r1-train-1a2b3").withNamespace(MockCluster.NAMESPACE)
                .addToLabels("kueue.x-k8s.io/job-uid", job.getMetadata().getUid()).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("queueName", QUEUE), "status", Map.of("conditions",
                        List.of(Map.of("type", "QuotaReserved", "status", "False", "reason", "Pending", "message", why)))))
                .build();
        ResourceDefinitionContext workloads = new ResourceDefinitionContext.Builder().withGroup("kueue.x-k8s.io").withVersion("v1beta1")
                .withKind("Workload").withPlural("workloads").withNamespaced(true).build();
        var created = cluster.client.genericKubernetesResources(workloads).inNamespace(MockCluster.NAMESPACE).resource(workload).create();
        created.getAdditionalProperties().put("status", workload.getAdditionalProperties().get("status"));
        cluster.client.genericKubernetesResources(workloads).inNamespace(MockCluster.NAMESPACE).resource(created).updateStatus();
        // Kueue's webhook suspends a Job that names a queue until its Workload is admitted
        cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).withName("fashion-r1-train").edit(j -> {
            j.getSpec().setSuspend(true);
            return j;
        });

        TrainingRun queued = await(TrainingRun.class, "fashion-r1", s -> s.message != null && s.message.startsWith("Queued:"));
        assertEquals("Queued: Job fashion-r1-train is suspended until Kueue admits it (" + why + ")", queued.getStatus().message);
    }

    @Test
    void theBuiltInTrainerIsSingleNode() {
        create(Manifests.dataset("fashion"));
        TrainerTemplate trainer = distributed(TrainingEngine.PyTorchJob);
        trainer.image = null;
        run("fashion-r1", trainer);

        TrainingRun failed = await(TrainingRun.class, "fashion-r1", s -> phase(s, "Failed"));
        String message = Conditions.find(failed.getStatus(), Conditions.FAILED).orElseThrow().getMessage();
        assertTrue(message.startsWith("spec.trainer.engine PyTorchJob needs spec.trainer.image: Winnow's built-in trainer runs on one node only"), message);
    }

    @Test
    void aLoopTrainsEveryRoundOnAPyTorchJobAndItsWaitsForLabelsHoldNoQuota() {
        FakeEngines.install(cluster.client, "pytorchjobs.kubeflow.org.yaml");
        create(Manifests.dataset("fashion"));
        ActiveLearningLoop loop = Manifests.loop("fashion", "fashion", 2);
        loop.getMetadata().setLabels(Map.of(StepJobBuilder.KUEUE_QUEUE, QUEUE));
        loop.getSpec().round.trainer = distributed(TrainingEngine.PyTorchJob);
        create(loop);

        await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Succeeded"));
        for (String run : List.of("fashion-r1", "fashion-r2")) {
            GenericKubernetesResource job = engineResource(FakeEngines.PYTORCH_JOBS, run + "-train");
            assertEquals(QUEUE, job.getMetadata().getLabels().get(StepJobBuilder.KUEUE_QUEUE), run);
            assertEquals(0.77, get(TrainingRun.class, run).getStatus().accuracy, 1e-9, run);
        }
        assertEquals(get(TrainingRun.class, "fashion-r1").getStatus().checkpoint, engines.ranks().stream()
                .filter(r -> r.pod().startsWith("fashion-r2-train-master")).findFirst().orElseThrow().env().get("WINNOW_RESUME_FROM"),
                "round 2 resumes from round 1's checkpoint");

        List<Job> awaits = cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).list().getItems().stream()
                .filter(j -> "await-labels".equals(j.getMetadata().getLabels().get(StepJobBuilder.STEP_LABEL))).toList();
        assertTrue(awaits.size() >= 2, "the initial selection's and the rounds': " + awaits.size());
        for (Job await : awaits) {
            assertFalse(await.getMetadata().getLabels().containsKey(StepJobBuilder.KUEUE_QUEUE), "a wait for people is no Kueue workload");
            var pod = await.getSpec().getTemplate().getSpec();
            var resources = pod.getContainers().get(0).getResources();
            assertTrue(resources.getLimits() == null || resources.getLimits().isEmpty(), "no limits, no GPU");
            assertEquals(Map.of("cpu", new Quantity("10m"), "memory", new Quantity("128Mi")), resources.getRequests());
            assertTrue(pod.getTolerations().isEmpty());
        }
        assertTrue(cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).list().getItems().stream()
                .filter(j -> !"await-labels".equals(j.getMetadata().getLabels().get(StepJobBuilder.STEP_LABEL))
                        && !"index".equals(j.getMetadata().getLabels().get(StepJobBuilder.STEP_LABEL)))
                .allMatch(j -> QUEUE.equals(j.getMetadata().getLabels().get(StepJobBuilder.KUEUE_QUEUE))), "every compute step is queued");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }
}
