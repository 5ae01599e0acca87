package dev.winnow.cluster;

import dev.winnow.operator.job.StepJobBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A node without containers, as KWOK makes them: a Node object with a heartbeat, and for every pod the scheduler
 * binds to it, the pod's containers "run" for a fixed time and end with the result the step would report (as
 * Winnow's worker does, from the pod's contract environment). The real scheduler, Job controller and garbage
 * collector do the rest. For the scale benchmark: thousands of steps cost the API server and etcd what real
 * ones cost, and no CPU for containers.
 */
final class SimulatedKubelet implements AutoCloseable {
    static final String NODE = "sim-node";

    private final KubernetesClient client;
    private final Duration stepTime;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(4);
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    /** What each select step chose, by selection URI, so its await step reports as many labels. */
    private final Map<String, Integer> selected = new ConcurrentHashMap<>();
    private SharedIndexInformer<Pod> pods;

    SimulatedKubelet(KubernetesClient client, Duration stepTime) {
        this.client = client;
        this.stepTime = stepTime;
    }

    SimulatedKubelet start() {
        client.nodes().withName(NODE).delete();
        client.nodes().withName(NODE).waitUntilCondition(n -> n == null, 1, TimeUnit.MINUTES);
        client.resource(new NodeBuilder().withNewMetadata().withName(NODE).addToLabels("kubernetes.io/hostname", NODE)
                .addToLabels("kubernetes.io/os", "linux").addToLabels("winnow.dev/simulated", "true").endMetadata().build()).create();
        heartbeat();
        timer.scheduleWithFixedDelay(this::heartbeat, 10, 10, TimeUnit.SECONDS);
        pods = client.pods().inAnyNamespace().withField("spec.nodeName", NODE).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                run(pod);
            }

            @Override
            public void onUpdate(Pod before, Pod pod) {
                run(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
                started.remove(pod.getMetadata().getUid());
            }
        });
        return this;
    }

    /** The node's Lease and Ready condition, renewed as a kubelet renews them, so the node lifecycle controller keeps it. */
    private void heartbeat() {
        try {
            var lease = client.leases().inNamespace("kube-node-lease").withName(NODE).get();
            if (lease == null) {
                client.resource(new LeaseBuilder().withNewMetadata().withName(NODE).withNamespace("kube-node-lease").endMetadata()
                        .withNewSpec().withHolderIdentity(NODE).withLeaseDurationSeconds(40).withRenewTime(ZonedDateTime.now()).endSpec()
                        .build()).create();
            } else {
                lease.getSpec().setRenewTime(ZonedDateTime.now());
                client.resource(lease).update();
            }
        } catch (KubernetesClientException e) {
            warnOnce("node Lease: " + e.getMessage());
        }
        try {
            String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            var node = client.nodes().withName(NODE).get();
            Map<String, Quantity> capacity = Map.of("cpu", new Quantity("1000"), "memory", new Quantity("4Ti"),
                    "pods", new Quantity("100000"), "nvidia.com/gpu", new Quantity("1000"));
            node.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder().withCapacity(capacity).withAllocatable(capacity)
                    .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").withMessage("simulated")
                    .withLastHeartbeatTime(now).withLastTransitionTime(now).endCondition()
                    .withNewNodeInfo().withKubeletVersion("v1.28.7").withOperatingSystem("linux").withArchitecture("amd64")
                    .withContainerRuntimeVersion("simulated://1").withKernelVersion("").withOsImage("simulated").withMachineID("")
                    .withSystemUUID("").withBootID("").withKubeProxyVersion("").endNodeInfo().build());
            client.nodes().resource(node).updateStatus();
        } catch (KubernetesClientException e) {
            warnOnce("node status: " + e.getMessage());
        }
    }

    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    private void warnOnce(String message) {
        if (warned.add(message.length() > 60 ? message.substring(0, 60) : message)) {
            System.err.println("simulated kubelet: " + message);
        }
    }

    private void run(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (pod.getMetadata().getDeletionTimestamp() != null || "Succeeded".equals(phase) || "Failed".equals(phase)
                || !started.add(pod.getMetadata().getUid())) {
            return;
        }
        Instant start = Instant.now();
        timer.schedule(() -> finish(pod, start), stepTime.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void finish(Pod pod, Instant start) {
        try {
            Map<String, String> env = env(pod);
            String result = result(pod.getMetadata().getLabels().getOrDefault(StepJobBuilder.STEP_LABEL, ""), env);
            List<ContainerStatus> init = new ArrayList<>();
            for (Container c : pod.getSpec().getInitContainers()) {
                init.add(terminated(c, "", start));
            }
            List<ContainerStatus> main = new ArrayList<>();
            for (Container c : pod.getSpec().getContainers()) {
                main.add(terminated(c, main.isEmpty() ? result : "", start));
            }
            Pod current = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
            if (current == null) {
                return;
            }
            current.setStatus(new PodStatusBuilder(current.getStatus()).withPhase("Succeeded").withHostIP("10.244.0.1")
                    .withPodIP("10.244.0.1").withStartTime(start.toString()).withInitContainerStatuses(init).withContainerStatuses(main)
                    .build());
            client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(current).updateStatus();
        } catch (KubernetesClientException e) {
            started.remove(pod.getMetadata().getUid()); // tried again at the pod's next event
        }
    }

    private static ContainerStatus terminated(Container c, String message, Instant start) {
        return new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withImageID("").withReady(false)
                .withRestartCount(0).withNewState().withNewTerminated().withExitCode(0).withReason("Completed").withMessage(message)
                .withStartedAt(start.toString()).withFinishedAt(Instant.now().toString()).endTerminated().endState().build();
    }

    /** What Winnow's worker reports for the step, from its contract environment (the same keys, plausible values). */
    private String result(String step, Map<String, String> env) {
        return switch (step) {
            case "index" -> "{\"samples\":1000,\"labeled\":0,\"classHistogram\":{\"a\":0,\"b\":0},\"manifest\":\""
                    + env.get("WINNOW_MANIFEST") + "\"}";
            case "select" -> {
                String count = env.getOrDefault("WINNOW_COUNT", "10");
                selected.put(String.valueOf(env.get("WINNOW_SELECTION_OUT")), Integer.parseInt(count));
                yield "{\"selected\":" + count + ",\"selection\":\"" + env.get("WINNOW_SELECTION_OUT") + "\",\"sha256\":\"0\",\"seconds\":0.1}";
            }
            case "await-labels" -> {
                int n = selected.getOrDefault(String.valueOf(env.get("WINNOW_SELECTION")), 10);
                yield "{\"selected\":" + n + ",\"labeled\":" + n + ",\"skipped\":0,\"open\":0}";
            }
            case "train" -> "{\"metrics\":{\"accuracy\":0.5},\"checkpoint\":\"" + env.get("WINNOW_CHECKPOINT_OUT") + "\",\"trained\":100}";
            case "infer" -> "{\"count\":250}";
            default -> "{}";
        };
    }

    /** The main container's environment, $(VAR) and the pod-uid fieldRef expanded as a kubelet expands them. */
    private static Map<String, String> env(Pod pod) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar v : pod.getSpec().getContainers().get(0).getEnv()) {
            String value = v.getValue();
            if (value == null && v.getValueFrom() != null && v.getValueFrom().getFieldRef() != null
                    && "metadata.uid".equals(v.getValueFrom().getFieldRef().getFieldPath())) {
                value = pod.getMetadata().getUid();
            }
            if (value != null) {
                for (var known : env.entrySet()) {
                    value = value.replace("$(" + known.getKey() + ")", known.getValue());
                }
                env.put(v.getName(), value);
            }
        }
        return env;
    }

    @Override
    public void close() {
        if (pods != null) {
            pods.close();
        }
        timer.shutdownNow();
        client.nodes().withName(NODE).delete();
    }
}
