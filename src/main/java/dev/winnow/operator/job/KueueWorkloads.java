package dev.winnow.operator.job;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Why Kueue has not admitted a step yet, when the operator may see it: Kueue keeps one Workload per
 * Job (or PyTorchJob, TrainJob), labelled kueue.x-k8s.io/job-uid with the job's uid, and says in its
 * QuotaReserved condition what it waits for ("couldn't assign flavors ... insufficient quota for
 * nvidia.com/gpu"). See https://kueue.sigs.k8s.io/docs/tasks/troubleshooting/troubleshooting_jobs/.
 * Without Kueue, or without the chart's kueue.workloads RBAC, the step just shows as Queued.
 */
public final class KueueWorkloads {
    public static final String QUEUED = "Queued: ";
    static final String API_VERSION = "kueue.x-k8s.io/v1beta1";
    static final String KIND = "Workload";
    static final String JOB_UID = "kueue.x-k8s.io/job-uid";
    private static final ResourceDefinitionContext WORKLOADS = new ResourceDefinitionContext.Builder()
            .withGroup("kueue.x-k8s.io").withVersion("v1beta1").withKind(KIND).withPlural("workloads").withNamespaced(true).build();

    private final KubernetesClient client;
    private final ServedApis apis;

    public KueueWorkloads(KubernetesClient client, ServedApis apis) {
        this.client = client;
        this.apis = apis;
    }

    /** The message of the job's Workload's QuotaReserved=False condition, if Kueue and RBAC let it be seen. */
    public Optional<String> pending(HasMetadata job) {
        if (job.getMetadata().getUid() == null || !apis.served(API_VERSION, KIND)) {
            return Optional.empty();
        }
        try {
            return client.genericKubernetesResources(WORKLOADS).inNamespace(job.getMetadata().getNamespace())
                    .withLabel(JOB_UID, job.getMetadata().getUid()).list().getItems().stream()
                    .flatMap(w -> conditions(w).stream())
                    .filter(c -> "QuotaReserved".equals(c.get("type")) && "False".equals(c.get("status")) && c.get("message") != null)
                    .map(c -> String.valueOf(c.get("message")))
                    .findFirst();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403 || e.getCode() == 404) {
                return Optional.empty(); // not granted (kueue.workloads off) or gone: the step is Queued, without the why
            }
            throw e;
        }
    }

    /** status.conditions of a resource Winnow has no model of (a Workload, a PyTorchJob, a TrainJob). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> conditions(GenericKubernetesResource resource) {
        Object status = resource.getAdditionalProperties().get("status");
        Object conditions = status instanceof Map<?, ?> s ? s.get("conditions") : null;
        return conditions instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }
}
