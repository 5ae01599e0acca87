package dev.winnow.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays a training engine's controller on the real API server, step by step as a test drives it: makes the
 * engine's pods (labelled as the engine labels them, held by a scheduling gate so no kubelet runs them, their
 * status written here as a kubelet would), and writes the engine's conditions as the released CRD's status
 * schema has them. The sequences are the real controllers': the training operator v1.9 restarts a failed rank
 * in place (restartPolicy OnFailure: the message moves to lastState) and, past its backoff limit, deletes the
 * pods before it sets Failed; Kubeflow Trainer's TrainJob ends Complete or Failed.
 */
final class EngineController {
    static final ResourceDefinitionContext PYTORCH_JOBS = new ResourceDefinitionContext.Builder().withGroup("kubeflow.org")
            .withVersion("v1").withKind("PyTorchJob").withPlural("pytorchjobs").withNamespaced(true).build();
    static final ResourceDefinitionContext TRAIN_JOBS = new ResourceDefinitionContext.Builder().withGroup("trainer.kubeflow.org")
            .withVersion("v1alpha1").withKind("TrainJob").withPlural("trainjobs").withNamespaced(true).build();
    static final ResourceDefinitionContext WORKLOADS = new ResourceDefinitionContext.Builder().withGroup("kueue.x-k8s.io")
            .withVersion("v1beta1").withKind("Workload").withPlural("workloads").withNamespaced(true).build();

    private final KubernetesClient client;
    private final ResourceDefinitionContext api;
    private final String namespace;

    EngineController(KubernetesClient client, ResourceDefinitionContext api, String namespace) {
        this.client = client;
        this.api = api;
        this.namespace = namespace;
    }

    boolean pytorch() {
        return api == PYTORCH_JOBS;
    }

    GenericKubernetesResource get(String name) {
        return client.genericKubernetesResources(api).inNamespace(namespace).withName(name).get();
    }

    /** The engine's pods of the resource, rank 0 first, each with its container running. */
    List<Pod> startPods(String name, int nodes) {
        List<Pod> pods = new ArrayList<>();
        for (int rank = 0; rank < nodes; rank++) {
            Map<String, String> labels = new LinkedHashMap<>();
            String pod;
            if (pytorch()) {
                String type = rank == 0 ? "master" : "worker";
                int index = rank == 0 ? 0 : rank - 1;
                labels.put("training.kubeflow.org/job-name", name);
                labels.put("training.kubeflow.org/replica-type", type);
                labels.put("training.kubeflow.org/replica-index", String.valueOf(index));
                pod = name + "-" + type + "-" + index;
            } else {
                labels.put("jobset.sigs.k8s.io/jobset-name", name);
                labels.put("jobset.sigs.k8s.io/replicatedjob-name", "node");
                labels.put("jobset.sigs.k8s.io/job-index", "0");
                labels.put("batch.kubernetes.io/job-completion-index", String.valueOf(rank));
                pod = name + "-node-0-" + rank;
            }
            Pod created = client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(pod)
                    .withLabels(labels).endMetadata()
                    .withNewSpec().addNewSchedulingGate("winnow.dev/engine-test").withRestartPolicy("OnFailure")
                    .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(1001L).withNewSeccompProfile().withType("RuntimeDefault")
                    .endSeccompProfile().endSecurityContext()
                    .addNewContainer().withName(container()).withImage(RealCluster.WORKER_IMAGE)
                    .withNewSecurityContext().withAllowPrivilegeEscalation(false).withNewCapabilities().withDrop("ALL").endCapabilities()
                    .endSecurityContext().endContainer().endSpec().build()).create();
            pods.add(status(created, running(0, null)));
        }
        return pods;
    }

    /** Rank 0's container failed with this termination message and was restarted in place, as OnFailure does. */
    Pod restartInPlace(Pod pod, String message) {
        return status(pod, running(1, message));
    }

    /** Rank 0's container ended with its result, and the resource says it succeeded. */
    void succeed(String name, Pod rankZero, String result) {
        status(rankZero, new ContainerStatusBuilder().withName(container()).withReady(false).withRestartCount(0).withImage(RealCluster.WORKER_IMAGE)
                .withImageID("").withNewState().withNewTerminated().withExitCode(0).withReason("Completed").withMessage(result)
                .withStartedAt(now()).withFinishedAt(now()).endTerminated().endState().build(), "Succeeded");
        conditions(name, pytorch() ? "Succeeded" : "Complete", pytorch() ? "PyTorchJobSucceeded" : "JobsCompleted",
                name + " successfully completed.");
    }

    /** The training operator v1.9 past its backoff limit: the pods are deleted first, then the resource says Failed. */
    void failAfterBackoff(String name, List<Pod> pods) {
        pods.forEach(p -> client.pods().inNamespace(namespace).withName(p.getMetadata().getName()).withGracePeriod(0).delete());
        conditions(name, "Failed", pytorch() ? "PyTorchJobFailed" : "JobsFailed",
                (pytorch() ? "PyTorchJob " : "TrainJob ") + name + " has failed because it has reached the specified backoff limit");
    }

    /** Kueue without quota: the resource is suspended and its Workload says why it waits. */
    void queue(String name, String why) {
        GenericKubernetesResource r = get(name);
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) r.getAdditionalProperties().get("spec");
        @SuppressWarnings("unchecked")
        Map<String, Object> holder = pytorch() ? (Map<String, Object>) spec.get("runPolicy") : spec;
        holder.put("suspend", true);
        client.genericKubernetesResources(api).inNamespace(namespace).resource(r).update();
        GenericKubernetesResource workload = client.getKubernetesSerialization().unmarshal("""
                apiVersion: kueue.x-k8s.io/v1beta1
                kind: Workload
                metadata:
                  name: %1$s-workload
                  namespace: %2$s
                  labels: {kueue.x-k8s.io/job-uid: %3$s}
                spec:
                  queueName: gpus
                  podSets:
                    - name: master
                      count: 1
                      template: {spec: {containers: [{name: pytorch, image: train}]}}
                """.formatted(name, namespace, r.getMetadata().getUid()), GenericKubernetesResource.class);
        workload = client.genericKubernetesResources(WORKLOADS).inNamespace(namespace).resource(workload).create();
        workload.getAdditionalProperties().put("status", Map.of("conditions", List.of(condition("QuotaReserved", "False", "Pending", why))));
        client.genericKubernetesResources(WORKLOADS).inNamespace(namespace).resource(workload).updateStatus();
    }

    /** The engine's status conditions, as its controller writes them: Created, Running, then the end. */
    private void conditions(String name, String type, String reason, String message) {
        GenericKubernetesResource r = get(name);
        List<Map<String, Object>> conditions = new ArrayList<>();
        if (pytorch()) {
            conditions.add(condition("Created", "True", "PyTorchJobCreated", "PyTorchJob " + name + " is created."));
            conditions.add(condition("Running", "False", reason, message));
        }
        conditions.add(condition(type, "True", reason, message));
        r.getAdditionalProperties().put("status", Map.of("conditions", conditions));
        client.genericKubernetesResources(api).inNamespace(namespace).resource(r).updateStatus();
    }

    private static Map<String, Object> condition(String type, String status, String reason, String message) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type);
        c.put("status", status);
        c.put("reason", reason);
        c.put("message", message);
        c.put("lastTransitionTime", now());
        return c;
    }

    private ContainerStatus running(int restarts, String lastMessage) {
        var builder = new ContainerStatusBuilder().withName(container()).withReady(true).withRestartCount(restarts)
                .withImage(RealCluster.WORKER_IMAGE).withImageID("").withNewState().withNewRunning().withStartedAt(now()).endRunning().endState();
        if (lastMessage != null) {
            builder.withNewLastState().withNewTerminated().withExitCode(1).withReason("Error").withMessage(lastMessage)
                    .withStartedAt(now()).withFinishedAt(now()).endTerminated().endLastState();
        }
        return builder.build();
    }

    private Pod status(Pod pod, ContainerStatus container) {
        return status(pod, container, "Running");
    }

    private Pod status(Pod pod, ContainerStatus container, String phase) {
        Pod current = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).get();
        current.setStatus(new PodStatusBuilder(current.getStatus()).withPhase(phase).withContainerStatuses(container).build());
        return client.pods().inNamespace(namespace).resource(current).updateStatus();
    }

    private String container() {
        return pytorch() ? "pytorch" : "node";
    }

    private static String now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
}
