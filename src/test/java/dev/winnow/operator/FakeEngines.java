package dev.winnow.operator;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays the Kubeflow training operator and Kubeflow Trainer for tests: registers minimal CRDs of
 * PyTorchJob and TrainJob (src/test/resources/engines), and for each such resource makes one pod per
 * node, labelled as the engine labels them, runs rank 0 through the scripted handler (its termination
 * message is the step's result) and marks the resource Succeeded/Complete or Failed.
 */
final class FakeEngines implements AutoCloseable {
    static final ResourceDefinitionContext PYTORCH_JOBS = new ResourceDefinitionContext.Builder().withGroup("kubeflow.org")
            .withVersion("v1").withKind("PyTorchJob").withPlural("pytorchjobs").withNamespaced(true).build();
    static final ResourceDefinitionContext TRAIN_JOBS = new ResourceDefinitionContext.Builder().withGroup("trainer.kubeflow.org")
            .withVersion("v1alpha1").withKind("TrainJob").withPlural("trainjobs").withNamespaced(true).build();

    /** One rank's pod as the engine made it: its environment and its labels. */
    record Rank(String pod, Map<String, String> labels, Map<String, String> env) {
    }

    private final KubernetesClient client;
    private final TestKubelet.Handler rankZero;
    private final Set<String> finished = Collections.synchronizedSet(new HashSet<>());
    private final List<Rank> ranks = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private volatile boolean kueueHolds;

    FakeEngines(KubernetesClient client, TestKubelet.Handler rankZero) {
        this.client = client;
        this.rankZero = rankZero;
        loop.scheduleWithFixedDelay(this::runPending, 20, 20, TimeUnit.MILLISECONDS);
    }

    /** Registers the engine's CRD, as installing the engine would. */
    static void install(KubernetesClient client, String crdFile) {
        try {
            client.apiextensions().v1().customResourceDefinitions().resource(Serialization.unmarshal(
                    Files.readString(Path.of("src/test/resources/engines", crdFile)), CustomResourceDefinition.class)).create();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Plays Kueue without quota: every new resource is suspended and stays so. */
    FakeEngines kueueHolds(boolean holds) {
        this.kueueHolds = holds;
        return this;
    }

    List<Rank> ranks() {
        synchronized (ranks) {
            return List.copyOf(ranks);
        }
    }

    private void runPending() {
        try {
            for (ResourceDefinitionContext api : List.of(PYTORCH_JOBS, TRAIN_JOBS)) {
                if (!client.supports(api.getGroup() + "/" + api.getVersion(), api.getKind())) {
                    continue;
                }
                for (GenericKubernetesResource r : client.genericKubernetesResources(api).inAnyNamespace().list().getItems()) {
                    if (!finished.contains(r.getMetadata().getUid())) {
                        run(api, r);
                    }
                }
            }
        } catch (RuntimeException e) {
            // the server is going away at the end of a test
        }
    }

    @SuppressWarnings("unchecked")
    private void run(ResourceDefinitionContext api, GenericKubernetesResource r) {
        Map<String, Object> spec = (Map<String, Object>) r.getAdditionalProperties().get("spec");
        boolean pytorch = api == PYTORCH_JOBS;
        if (kueueHolds) {
            Map<String, Object> holder = pytorch ? (Map<String, Object>) spec.get("runPolicy") : spec;
            if (!Boolean.TRUE.equals(holder.get("suspend"))) {
                holder.put("suspend", true);
                client.genericKubernetesResources(api).inNamespace(r.getMetadata().getNamespace()).resource(r).update();
            }
            return;
        }
        finished.add(r.getMetadata().getUid());
        String name = r.getMetadata().getName();
        List<Pod> pods = pytorch ? pytorchPods(name, spec) : trainJobPods(name, spec);
        boolean ok = true;
        for (int rank = 0; rank < pods.size(); rank++) {
            Pod pod = pods.get(rank);
            Map<String, String> env = env(pod.getSpec());
            ranks.add(new Rank(pod.getMetadata().getName(), pod.getMetadata().getLabels(), env));
            TestKubelet.PodResult result = rank == 0 ? rankZero.run(null, 0, env) : TestKubelet.PodResult.ok("");
            ok &= result.exitCode() == 0;
            Pod created = client.pods().inNamespace(r.getMetadata().getNamespace()).resource(pod).create();
            created.setStatus(new PodStatusBuilder().withPhase(result.exitCode() == 0 ? "Succeeded" : "Failed")
                    .withContainerStatuses(new ContainerStatusBuilder().withName(pod.getSpec().getContainers().get(0).getName())
                            .withNewState().withNewTerminated().withExitCode(result.exitCode())
                            .withReason(result.exitCode() == 0 ? "Completed" : "Error").withMessage(result.message())
                            .endTerminated().endState().build()).build());
            client.pods().inNamespace(r.getMetadata().getNamespace()).resource(created).updateStatus();
        }
        String succeeded = pytorch ? "Succeeded" : "Complete";
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("type", ok ? succeeded : "Failed");
        condition.put("status", "True");
        condition.put("reason", ok ? "JobSucceeded" : "JobFailed");
        condition.put("message", ok ? name + " succeeded" : name + " failed because a pod failed");
        r.getAdditionalProperties().put("status", Map.of("conditions", List.of(condition)));
        client.genericKubernetesResources(api).inNamespace(r.getMetadata().getNamespace()).resource(r).updateStatus();
    }

    /** Master 0, then Worker 0..n-1, each from its replica's pod template, labelled as the training operator labels them. */
    @SuppressWarnings("unchecked")
    private static List<Pod> pytorchPods(String name, Map<String, Object> spec) {
        Map<String, Object> replicas = (Map<String, Object>) spec.get("pytorchReplicaSpecs");
        List<Pod> pods = new ArrayList<>();
        for (String type : List.of("Master", "Worker")) {
            Map<String, Object> replica = (Map<String, Object>) replicas.get(type);
            if (replica == null) {
                continue;
            }
            PodSpec podSpec = Serialization.jsonMapper().convertValue(((Map<String, Object>) replica.get("template")).get("spec"), PodSpec.class);
            for (int i = 0; i < ((Number) replica.get("replicas")).intValue(); i++) {
                pods.add(new PodBuilder().withNewMetadata().withName(name + "-" + type.toLowerCase() + "-" + i)
                        .addToLabels("training.kubeflow.org/job-name", name)
                        .addToLabels("training.kubeflow.org/replica-type", type.toLowerCase())
                        .addToLabels("training.kubeflow.org/replica-index", String.valueOf(i))
                        .endMetadata().withSpec(podSpec).build());
            }
        }
        return pods;
    }

    /** numNodes pods of the runtime's "node" job, with spec.trainer's container, labelled as JobSet labels them. */
    @SuppressWarnings("unchecked")
    private static List<Pod> trainJobPods(String name, Map<String, Object> spec) {
        Map<String, Object> trainer = (Map<String, Object>) spec.get("trainer");
        List<EnvVar> env = Serialization.jsonMapper().convertValue(trainer.get("env"),
                Serialization.jsonMapper().getTypeFactory().constructCollectionType(List.class, EnvVar.class));
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < ((Number) trainer.get("numNodes")).intValue(); i++) {
            pods.add(new PodBuilder().withNewMetadata().withName(name + "-node-0-" + i)
                    .addToLabels("jobset.sigs.k8s.io/jobset-name", name)
                    .addToLabels("jobset.sigs.k8s.io/replicatedjob-name", "node")
                    .addToLabels("jobset.sigs.k8s.io/job-index", "0")
                    .addToLabels("batch.kubernetes.io/job-completion-index", String.valueOf(i))
                    .endMetadata().withNewSpec().withContainers(new ContainerBuilder().withName("node")
                            .withImage(String.valueOf(trainer.get("image"))).withEnv(env).build()).endSpec().build());
        }
        return pods;
    }

    private static Map<String, String> env(PodSpec spec) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar v : spec.getContainers().get(0).getEnv()) {
            env.put(v.getName(), v.getValue());
        }
        return env;
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
