package dev.winnow.operator.job;

import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.DatasetSpec;
import dev.winnow.api.v1alpha1.StepTemplate;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.TrainingRunSpec;
import dev.winnow.contract.StepName;
import dev.winnow.operator.Manifests;
import dev.winnow.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepJobBuilderTest {
    static final String WORKER = "registry.example.com/winnow-worker:1.2";
    final StepJobBuilder builder = new StepJobBuilder(new OperatorSettings(WORKER, Set.of()));

    static Dataset dataset() {
        Dataset d = Manifests.dataset("fashion", "ml");
        DatasetSpec s = d.getSpec();
        s.classes = List.of("t-shirt", "trouser");
        s.source.uri = "file:///data/fashion/";
        s.labels.uri = "s3://labels/fashion/";
        s.artifacts.uri = "s3://winnow/art";
        s.storage.s3.region = "eu-west-1";
        var volume = new DatasetSpec.Volume();
        volume.name = "data";
        volume.claimName = "fashion-pvc";
        volume.mountPath = "/data";
        volume.readOnly = true;
        s.storage.volumes = List.of(volume);
        return d;
    }

    static TrainingRun run() {
        var r = new TrainingRun();
        r.setMetadata(new ObjectMetaBuilder().withName("fashion-r1").withNamespace("ml").withUid("uid-1")
                .withLabels(Map.of("kueue.x-k8s.io/queue-name", "gpu-queue", "team", "vision")).build());
        r.setSpec(new TrainingRunSpec());
        return r;
    }

    static StepTemplate gpuTrainer() {
        var t = new StepTemplate();
        t.image = "nvcr.io/nvidia/tao/tao-toolkit:5.5.0-pyt";
        t.command = List.of("python", "/app/train.py");
        t.args = List.of("--epochs", "10");
        t.env = List.of(new EnvVar("EPOCHS", "10", null), new EnvVar("WINNOW_CLASSES", "override", null));
        t.gpus = 2;
        t.resources = new ResourceRequirementsBuilder().addToRequests("memory", new Quantity("16Gi"))
                .addToLimits("memory", new Quantity("32Gi")).build();
        t.nodeSelector = Map.of("nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3");
        t.tolerations = List.of(new TolerationBuilder().withKey("dedicated").withOperator("Equal").withValue("ml").withEffect("NoSchedule").build());
        t.affinity = new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("zone").withOperator("In").withValues("a").endMatchExpression()
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
        t.runtimeClassName = "nvidia";
        t.priorityClassName = "training";
        t.shmSize = "8Gi";
        return t;
    }

    @Test
    void gpuTrainJobIsBuiltFieldByField() {
        Job job = builder.build(StepJob.of(run(), StepName.TRAIN, dataset()).template(gpuTrainer())
                .env("WINNOW_TRAIN_IDS", "s3://winnow/art/runs/fashion-r1/train-ids.txt")
                .initStep(StepName.PREPARE)
                .backoffLimit(3).activeDeadlineSeconds(7200L).build());

        assertEquals("fashion-r1-train", job.getMetadata().getName());
        assertEquals("ml", job.getMetadata().getNamespace());
        assertEquals("winnow", job.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
        assertEquals("train", job.getMetadata().getLabels().get("winnow.dev/step"));
        assertEquals("gpu-queue", job.getMetadata().getLabels().get("kueue.x-k8s.io/queue-name"), "Kueue's queue label passes through");
        assertFalse(job.getMetadata().getLabels().containsKey("team"), "other labels stay on the owner");
        var owner = job.getMetadata().getOwnerReferences().get(0);
        assertEquals("TrainingRun", owner.getKind());
        assertEquals("uid-1", owner.getUid());
        assertTrue(owner.getController());
        assertEquals(3, job.getSpec().getBackoffLimit());
        assertEquals(7200L, job.getSpec().getActiveDeadlineSeconds());
        assertNull(job.getSpec().getCompletionMode(), "training is one pod");

        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertEquals("Never", pod.getRestartPolicy());
        assertEquals("nvidia", pod.getRuntimeClassName());
        assertEquals("training", pod.getPriorityClassName());
        assertEquals(Map.of("nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"), pod.getNodeSelector());
        assertEquals("zone", pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().get(0).getMatchExpressions().get(0).getKey());
        assertEquals(2, pod.getTolerations().size());
        assertEquals("dedicated", pod.getTolerations().get(0).getKey());
        var gpuToleration = pod.getTolerations().get(1);
        assertEquals("nvidia.com/gpu", gpuToleration.getKey());
        assertEquals("Exists", gpuToleration.getOperator());
        assertEquals("NoSchedule", gpuToleration.getEffect());
        assertNull(pod.getSecurityContext().getRunAsUser(), "a user's image keeps its own user");
        assertNull(pod.getSecurityContext().getRunAsNonRoot());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertEquals("train", job.getSpec().getTemplate().getMetadata().getLabels().get("winnow.dev/step"));

        Container c = pod.getContainers().get(0);
        assertEquals("train", c.getName());
        assertEquals("nvcr.io/nvidia/tao/tao-toolkit:5.5.0-pyt", c.getImage());
        assertEquals(List.of("python", "/app/train.py"), c.getCommand());
        assertEquals(List.of("--epochs", "10"), c.getArgs());
        assertEquals(new Quantity("2"), c.getResources().getLimits().get("nvidia.com/gpu"));
        assertEquals(new Quantity("32Gi"), c.getResources().getLimits().get("memory"));
        assertEquals(new Quantity("16Gi"), c.getResources().getRequests().get("memory"));
        assertEquals("FallbackToLogsOnError", c.getTerminationMessagePolicy());
        assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());

        Map<String, EnvVar> env = byName(c.getEnv());
        assertEquals("train", env.get("WINNOW_STEP").getValue());
        assertEquals("Classification", env.get("WINNOW_TASK").getValue());
        assertEquals("override", env.get("WINNOW_CLASSES").getValue(), "the user's variable wins");
        assertEquals("file:///data/fashion/", env.get("WINNOW_DATASET_URI").getValue());
        assertEquals("Idx", env.get("WINNOW_DATASET_FORMAT").getValue());
        assertEquals("s3://labels/fashion/", env.get("WINNOW_LABELS_URI").getValue());
        assertEquals("Jsonl", env.get("WINNOW_LABELS_FORMAT").getValue());
        assertEquals("s3://winnow/art/datasets/fashion/manifest.jsonl", env.get("WINNOW_MANIFEST").getValue());
        assertEquals("s3://winnow/art/runs/fashion-r1/train-ids.txt", env.get("WINNOW_TRAIN_IDS").getValue());
        assertEquals("10", env.get("EPOCHS").getValue());
        assertEquals("eu-west-1", env.get("AWS_REGION").getValue());
        assertEquals("http://minio.minio:9000", env.get("AWS_ENDPOINT_URL").getValue());
        var key = env.get("AWS_ACCESS_KEY_ID").getValueFrom().getSecretKeyRef();
        assertEquals("s3-creds", key.getName());
        assertEquals("AWS_ACCESS_KEY_ID", key.getKey());
        assertEquals("AWS_SECRET_ACCESS_KEY", env.get("AWS_SECRET_ACCESS_KEY").getValueFrom().getSecretKeyRef().getKey());

        Map<String, Volume> volumes = pod.getVolumes().stream().collect(java.util.stream.Collectors.toMap(Volume::getName, v -> v));
        assertEquals("Memory", volumes.get("dshm").getEmptyDir().getMedium());
        assertEquals(new Quantity("8Gi"), volumes.get("dshm").getEmptyDir().getSizeLimit());
        assertEquals("fashion-pvc", volumes.get("data").getPersistentVolumeClaim().getClaimName());
        var mounts = c.getVolumeMounts().stream().collect(java.util.stream.Collectors.toMap(m -> m.getName(), m -> m.getMountPath()));
        assertEquals("/dev/shm", mounts.get("dshm"));
        assertEquals("/data", mounts.get("data"));
        assertEquals("/tmp", mounts.get("tmp"));

        Container prepare = pod.getInitContainers().get(0);
        assertEquals(WORKER, prepare.getImage(), "built-in steps use the operator's worker image");
        assertEquals(List.of("worker", "prepare"), prepare.getArgs());
        assertEquals("s3://winnow/art/runs/fashion-r1/train-ids.txt", byName(prepare.getEnv()).get("WINNOW_TRAIN_IDS").getValue());
        assertTrue(prepare.getSecurityContext().getReadOnlyRootFilesystem());
    }

    @Test
    void aWaitForPeopleCarriesNoQueueLabelAndRequestsNextToNothing() {
        StepTemplate gpu = gpuTrainer();
        Job await = builder.build(StepJob.of(run(), StepName.AWAIT_LABELS, dataset()).jobSuffix("await").template(gpu).waitsForPeople().build());
        assertFalse(await.getMetadata().getLabels().containsKey(StepJobBuilder.KUEUE_QUEUE), "no Kueue workload: it would hold quota for days");
        assertFalse(await.getSpec().getTemplate().getMetadata().getLabels().containsKey(StepJobBuilder.KUEUE_QUEUE));
        var container = await.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(Map.of("cpu", new Quantity("10m"), "memory", new Quantity("128Mi")), container.getResources().getRequests());
        assertTrue(container.getResources().getLimits() == null || container.getResources().getLimits().isEmpty(), "no GPU, even from a GPU template");
        assertTrue(await.getSpec().getTemplate().getSpec().getTolerations().isEmpty());

        Job train = builder.build(StepJob.of(run(), StepName.TRAIN, dataset()).template(gpu).build());
        assertEquals("gpu-queue", train.getMetadata().getLabels().get(StepJobBuilder.KUEUE_QUEUE), "compute steps keep the queue");
    }

    @Test
    void theStepPodIsTheJobsTemplate() {
        StepJob step = StepJob.of(run(), StepName.TRAIN, dataset()).template(gpuTrainer()).build();
        assertEquals(builder.podTemplate(step), builder.build(step).getSpec().getTemplate(),
                "one place builds step pods: the engines take the same pod a Job gets");
    }

    @Test
    void gpuStepOnAMigSliceRequestsTheMigResource() {
        StepTemplate t = new StepTemplate();
        t.gpus = 1;
        t.gpuResource = "nvidia.com/mig-1g.10gb";
        Job job = builder.build(StepJob.of(run(), StepName.INFER, dataset()).template(t).shards(4).build());
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(new Quantity("1"), c.getResources().getLimits().get("nvidia.com/mig-1g.10gb"));
        assertFalse(c.getResources().getLimits().containsKey("nvidia.com/gpu"));
        assertEquals("nvidia.com/gpu", job.getSpec().getTemplate().getSpec().getTolerations().get(0).getKey());
        assertEquals("Indexed", job.getSpec().getCompletionMode());
        assertEquals(4, job.getSpec().getCompletions());
        assertEquals(4, job.getSpec().getParallelism());
    }

    @Test
    void builtInWorkerStepRunsLockedDownWithTheConfiguredImage() {
        Job job = builder.build(StepJob.of(run(), StepName.SELECT, dataset()).build());
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertEquals(WORKER, c.getImage());
        assertEquals(List.of("worker", "select"), c.getArgs());
        assertTrue(c.getCommand().isEmpty(), "the image's entrypoint is the winnow command");
        assertNull(c.getResources(), "no GPU asked, none requested");
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(1001L, pod.getSecurityContext().getRunAsUser());
        assertEquals(1001L, pod.getSecurityContext().getRunAsGroup(), "files the steps write belong to group 1001, not 0");
        assertEquals(1001L, c.getSecurityContext().getRunAsGroup());
        assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
        assertTrue(pod.getTolerations().isEmpty(), "no GPU toleration without GPUs");
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), "steps never call the API server: no token");
    }

    @Test
    void disruptionsAreNotFailedAttemptsAndBadInputFailsAtOnce() {
        var policy = builder.build(StepJob.of(run(), StepName.TRAIN, dataset()).build()).getSpec().getPodFailurePolicy();
        assertEquals("Ignore", policy.getRules().get(0).getAction());
        assertEquals("DisruptionTarget", policy.getRules().get(0).getOnPodConditions().get(0).getType());
        assertEquals("FailJob", policy.getRules().get(1).getAction());
        assertEquals(List.of(2), policy.getRules().get(1).getOnExitCodes().getValues());

        StepTemplate withAccount = new StepTemplate();
        withAccount.serviceAccountName = "trainer";
        assertNull(builder.build(StepJob.of(run(), StepName.TRAIN, dataset()).template(withAccount).build())
                .getSpec().getTemplate().getSpec().getAutomountServiceAccountToken(), "a named account keeps its token");
    }

    @Test
    void gpuTrainerOnTheCudaWorkerImageGetsTheWorkersStepArguments() {
        StepTemplate t = new StepTemplate();
        t.image = "ghcr.io/winnow-dev/winnow-worker-cuda:0.1.0";
        t.gpus = 1;
        Container c = builder.build(StepJob.of(run(), StepName.TRAIN, dataset()).template(t).build())
                .getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("ghcr.io/winnow-dev/winnow-worker-cuda:0.1.0", c.getImage());
        assertEquals(List.of("worker", "train"), c.getArgs());
        assertEquals("registry.example.com:5000/team/winnow-worker", StepJobBuilder.repository("registry.example.com:5000/team/winnow-worker:1.2"));
        assertEquals("repo/img", StepJobBuilder.repository("repo/img@sha256:abc"));
    }

    @Test
    void everyPodOfWinnowsWorkerPassesPodSecurityRestricted() {
        Dataset dataset = dataset();
        StepTemplate cudaWorker = new StepTemplate();
        cudaWorker.image = "ghcr.io/winnow-dev/winnow-worker-cuda:0.1.0";
        cudaWorker.gpus = 1;
        List<StepJob> steps = List.of(
                StepJob.of(dataset, StepName.INDEX, dataset).jobSuffix("index-g1").build(),
                StepJob.of(run(), StepName.TRAIN, dataset).initStep(StepName.PREPARE).build(),
                StepJob.of(run(), StepName.TRAIN, dataset).template(cudaWorker).initStep(StepName.PREPARE).build(),
                StepJob.of(run(), StepName.INFER, dataset).shards(4).build(),
                StepJob.of(run(), StepName.SELECT, dataset).build(),
                StepJob.of(run(), StepName.AWAIT_LABELS, dataset).jobSuffix("await").build());
        for (StepJob step : steps) {
            PodSpec pod = builder.build(step).getSpec().getTemplate().getSpec();
            assertEquals(List.of(), RestrictedProfile.violations(pod), step.step().id());
            assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
            assertTrue(pod.getSecurityContext().getRunAsNonRoot());
            for (Container c : concat(pod.getInitContainers(), pod.getContainers())) {
                var sc = c.getSecurityContext();
                assertFalse(sc.getAllowPrivilegeEscalation(), c.getName());
                assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), c.getName());
                assertTrue(sc.getRunAsNonRoot(), c.getName());
                assertEquals(1001L, sc.getRunAsUser(), c.getName());
                assertTrue(sc.getReadOnlyRootFilesystem(), c.getName());
            }
        }
    }

    @Test
    void aUserImageWithoutItsOwnSecurityContextIsRefusedByRestrictedOnlyForRunningAsRoot() {
        PodSpec pod = builder.build(StepJob.of(run(), StepName.TRAIN, dataset()).template(gpuTrainer())
                .initStep(StepName.PREPARE).build()).getSpec().getTemplate().getSpec();
        assertEquals(List.of("container train: runAsNonRoot != true"), RestrictedProfile.violations(pod),
                "the image may run as root (TAO does); Winnow's prepare container passes on its own");
    }

    @Test
    void theTemplatesSecurityContextsReplaceWinnowsButNotItsInitContainers() {
        StepTemplate tao = gpuTrainer();
        tao.podSecurityContext = new io.fabric8.kubernetes.api.model.PodSecurityContextBuilder().withRunAsUser(0L).withFsGroup(0L).build();
        tao.securityContext = new io.fabric8.kubernetes.api.model.SecurityContextBuilder().withRunAsUser(0L)
                .withNewCapabilities().withAdd("SYS_PTRACE").endCapabilities().build();
        PodSpec pod = builder.build(StepJob.of(run(), StepName.TRAIN, dataset()).template(tao)
                .initStep(StepName.PREPARE).build()).getSpec().getTemplate().getSpec();
        assertEquals(tao.podSecurityContext, pod.getSecurityContext(), "replaced, not merged");
        assertEquals(tao.securityContext, pod.getContainers().get(0).getSecurityContext());
        var prepare = pod.getInitContainers().get(0).getSecurityContext();
        assertEquals(1001L, prepare.getRunAsUser(), "Winnow's own container keeps its user under a root pod context");
        assertEquals("RuntimeDefault", prepare.getSeccompProfile().getType());

        // a user's non-root image, told so, passes restricted too
        StepTemplate nonRoot = gpuTrainer();
        nonRoot.podSecurityContext = new io.fabric8.kubernetes.api.model.PodSecurityContextBuilder().withRunAsNonRoot(true)
                .withRunAsUser(2000L).withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().build();
        PodSpec restricted = builder.build(StepJob.of(run(), StepName.TRAIN, dataset()).template(nonRoot)
                .initStep(StepName.PREPARE).build()).getSpec().getTemplate().getSpec();
        assertEquals(List.of(), RestrictedProfile.violations(restricted));
    }

    @Test
    void theRestrictedCheckCatchesWhatTheApiServerWouldRefuse() {
        PodSpec pod = builder.build(StepJob.of(run(), StepName.SELECT, dataset()).build()).getSpec().getTemplate().getSpec();
        pod.getSecurityContext().setSeccompProfile(null);
        pod.getContainers().get(0).getSecurityContext().setSeccompProfile(null);
        pod.getContainers().get(0).getSecurityContext().setAllowPrivilegeEscalation(null);
        pod.getVolumes().add(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("host").withNewHostPath("/", null).build());
        assertEquals(List.of("volume host of type hostPath", "container select: allowPrivilegeEscalation != false",
                "container select: seccompProfile not RuntimeDefault or Localhost"), RestrictedProfile.violations(pod));
    }

    private static List<Container> concat(List<Container> a, List<Container> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    @Test
    void longNamesAreShortenedDeterministically() {
        TrainingRun r = run();
        r.getMetadata().setName("a-very-long-training-run-name-that-goes-on-and-on-r12");
        String name = StepJobBuilder.jobName(r, "infer");
        assertTrue(name.length() <= 52, name);
        assertEquals(name, StepJobBuilder.jobName(r, "infer"));
        assertFalse(name.equals(StepJobBuilder.jobName(r, "train")));
    }

    static Map<String, EnvVar> byName(List<EnvVar> env) {
        return env.stream().collect(java.util.stream.Collectors.toMap(EnvVar::getName, v -> v));
    }
}
