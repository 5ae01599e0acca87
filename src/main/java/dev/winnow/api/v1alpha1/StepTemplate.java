package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;
import java.util.Map;

/**
 * The container of a step and where its pod may run. Every field is optional: without an image the
 * step runs Winnow's built-in worker.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class StepTemplate {
    @Pattern(Validation.IMAGE_PATTERN)
    @JsonPropertyDescription("Container image; Winnow's worker image when empty.")
    public String image;
    @JsonPropertyDescription("Entrypoint override.")
    public List<String> command;
    @JsonPropertyDescription("Arguments; for the built-in worker the step's own arguments are used when empty.")
    public List<String> args;
    @JsonPropertyDescription("Extra environment variables of the container, as in a Pod's container env; they win over the step contract's of the same name. See kubectl explain pod.spec.containers.env.")
    public List<EnvVar> env;
    @JsonPropertyDescription("CPU, memory and other requests and limits of the container, as in a Pod's container resources; gpus adds the GPU limit. See kubectl explain pod.spec.containers.resources.")
    public ResourceRequirements resources;
    @Min(0)
    @Max(Integer.MAX_VALUE)
    @JsonPropertyDescription("GPUs for the step's container, as a limit on gpuResource.")
    public Integer gpus;
    @Pattern(Validation.EXTENDED_RESOURCE_PATTERN)
    @Size(max = Validation.MAX_SUBDOMAIN + 64)
    @JsonPropertyDescription("Extended resource for GPUs: nvidia.com/gpu (default) or a MIG profile such as nvidia.com/mig-1g.10gb.")
    public String gpuResource;
    @JsonPropertyDescription("Node labels the step pod must run on, as in a Pod's spec.nodeSelector.")
    public Map<String, String> nodeSelector;
    @JsonPropertyDescription("Scheduling constraints of the step pod, as in a Pod's spec.affinity. See kubectl explain pod.spec.affinity.")
    public Affinity affinity;
    @JsonPropertyDescription("Taints the step pod tolerates, as in a Pod's spec.tolerations; a GPU step also tolerates nvidia.com/gpu. See kubectl explain pod.spec.tolerations.")
    public List<Toleration> tolerations;
    @Pattern(Validation.SUBDOMAIN_PATTERN)
    @Size(max = Validation.MAX_SUBDOMAIN)
    @JsonPropertyDescription("RuntimeClass of the step pod, e.g. nvidia where the GPU runtime is not the default.")
    public String runtimeClassName;
    @Pattern(Validation.SUBDOMAIN_PATTERN)
    @Size(max = Validation.MAX_SUBDOMAIN)
    @JsonPropertyDescription("PriorityClass of the step pod.")
    public String priorityClassName;
    @Pattern(Validation.SUBDOMAIN_PATTERN)
    @Size(max = Validation.MAX_SUBDOMAIN)
    @JsonPropertyDescription("ServiceAccount the step pod runs as (default: the namespace's default), e.g. one with cloud storage access.")
    public String serviceAccountName;
    @Pattern(Validation.QUANTITY_PATTERN)
    @JsonPropertyDescription("Size of the in-memory /dev/shm, a quantity such as 8Gi (default 1Gi; data loaders need more than the 64Mi of a container).")
    public String shmSize;
    @JsonPropertyDescription("The pod's securityContext, replacing Winnow's (seccomp RuntimeDefault; user 1001, non-root, for its worker), e.g. for an image that runs as root.")
    public PodSecurityContext podSecurityContext;
    @JsonPropertyDescription("The step container's securityContext, replacing Winnow's (no privilege escalation, all capabilities dropped; non-root, read-only root filesystem for its worker).")
    public SecurityContext securityContext;
}
