package dev.winnow.local.kubelet;

import dev.winnow.contract.Variables;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One pod attempt, run the way a kubelet would: init containers in order, then the containers, each as a local
 * process, with the pod's status written to the API as it goes (Running, then Succeeded or Failed with each
 * container's exit code and termination message).
 */
final class PodRun {
    /** Kubernetes keeps at most this much of a termination message. */
    static final int MAX_MESSAGE_BYTES = 4096;
    /** FallbackToLogsOnError takes the log's last 80 lines, at most 2 KiB. */
    private static final int FALLBACK_LINES = 80;
    private static final int FALLBACK_BYTES = 2048;
    /** What a local JVM and DJL need from the host; a pod otherwise sees only its spec's environment. */
    private static final Set<String> HOST_ENV = Set.of("PATH", "HOME", "USER", "LANG", "TZ", "TMPDIR", "JAVA_HOME",
            "ENGINE_CACHE_DIR", "OMP_NUM_THREADS", "MKL_NUM_THREADS");
    private static final List<String> HOST_ENV_PREFIXES = List.of("LC_", "DJL_", "PYTORCH_");

    enum Outcome { SUCCEEDED, FAILED, REFUSED, DISRUPTED }

    /** What a pod run needs from its executor. */
    record Context(KubernetesClient client, StepLauncher launcher, WorkerImage image, EnvResolver env, Path workdir) {
        Path logs() {
            return workdir.resolve("logs");
        }

        Path podDir(String pod) {
            return workdir.resolve("pods").resolve(pod);
        }
    }

    private final Pod pod;
    private final Context ctx;
    private volatile Process process;
    private volatile String disruption;
    private String failureMessage = "";

    PodRun(Pod pod, Context ctx) {
        this.pod = pod;
        this.ctx = ctx;
    }

    String name() {
        return pod.getMetadata().getName();
    }

    /** The message of the container that failed, for the Job's condition. */
    String failureMessage() {
        return failureMessage;
    }

    /** Stops the pod from another thread (Ctrl-C, Job deleted or past its deadline); the run then ends DISRUPTED. */
    void interrupt(String reason) {
        Process p;
        synchronized (this) {
            disruption = reason;
            p = process;
        }
        if (p != null) {
            ProcessTrees.destroy(p);
        }
    }

    /** Runs the pod to its end; blocking. */
    Outcome run() {
        String start = now();
        List<Container> inits = pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
        List<Container> mains = pod.getSpec().getContainers();
        List<ContainerStatus> initStatuses = new ArrayList<>();
        List<ContainerStatus> statuses = new ArrayList<>();
        inits.forEach(c -> initStatuses.add(waiting(c, "PodInitializing")));
        mains.forEach(c -> statuses.add(waiting(c, inits.isEmpty() ? "ContainerCreating" : "PodInitializing")));

        // refuse before anything runs, so a foreign image never half-runs a pod
        for (Container c : concat(inits, mains)) {
            try {
                ctx.image().winnowArgs(c);
            } catch (WorkerImage.Refused e) {
                replace(initStatuses, statuses, c, terminated(c, 1, "UnsupportedImage", e.getMessage(), start));
                failureMessage = e.getMessage();
                writeStatus("Failed", start, initStatuses, statuses, "UnsupportedImage", e.getMessage(), null);
                return Outcome.REFUSED;
            }
        }
        writeStatus("Running", start, initStatuses, statuses, null, null, null);
        for (Container c : concat(inits, mains)) {
            String started = now();
            replace(initStatuses, statuses, c, running(c, started));
            writeStatus("Running", start, initStatuses, statuses, null, null, null);
            ContainerStatus end = runContainer(c, started);
            replace(initStatuses, statuses, c, end);
            if (disruption != null) {
                writeStatus("Failed", start, initStatuses, statuses, "DisruptionTarget", disruption,
                        new PodConditionBuilder().withType("DisruptionTarget").withStatus("True")
                                .withReason("TerminationByWinnowDemo").withMessage(disruption)
                                .withLastTransitionTime(now()).build());
                return Outcome.DISRUPTED;
            }
            if (end.getState().getTerminated().getExitCode() != 0) {
                String msg = end.getState().getTerminated().getMessage();
                failureMessage = msg == null ? "" : msg;
                writeStatus("Failed", start, initStatuses, statuses, null, null, null);
                return Outcome.FAILED;
            }
        }
        writeStatus("Succeeded", start, initStatuses, statuses, null, null, null);
        return Outcome.SUCCEEDED;
    }

    private ContainerStatus runContainer(Container c, String started) {
        String podName = name();
        Path log = ctx.logs().resolve(podName + ".log");
        Path terminationLog = ctx.podDir(podName).resolve(c.getName() + ".termination-log");
        try {
            Files.createDirectories(ctx.logs());
            Files.createDirectories(terminationLog.getParent());
            Files.deleteIfExists(terminationLog);
            Files.createFile(terminationLog);
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            Map<String, String> env = environment(c, terminationLog);
            List<String> args = ctx.image().winnowArgs(c);
            Process p;
            synchronized (this) {
                // checked under the lock interrupt() takes, so a process never starts after a stop
                if (disruption != null) {
                    return terminated(c, 137, "Error", disruption, started);
                }
                p = ctx.launcher().start(args, env, ctx.workdir(), log);
                process = p;
            }
            int exit = p.waitFor();
            String message = readMessage(terminationLog);
            boolean fallback = "FallbackToLogsOnError".equals(c.getTerminationMessagePolicy());
            if (message.isEmpty() && exit != 0 && fallback) {
                message = tail(log, logStart);
            }
            return terminated(c, exit, exit == 0 ? "Completed" : "Error", message, started);
        } catch (EnvResolver.ConfigError e) {
            return terminated(c, 1, "CreateContainerConfigError", e.getMessage(), started);
        } catch (WorkerImage.Refused e) {
            return terminated(c, 1, "UnsupportedImage", e.getMessage(), started);
        } catch (IOException e) {
            return terminated(c, 128, "StartError", "could not start the step: " + e.getMessage(), started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            interrupt("the demo executor stopped");
            return terminated(c, 137, "Error", disruption, started);
        }
    }

    private Map<String, String> environment(Container c, Path terminationLog) throws EnvResolver.ConfigError {
        Map<String, String> env = new LinkedHashMap<>();
        System.getenv().forEach((k, v) -> {
            if (HOST_ENV.contains(k) || HOST_ENV_PREFIXES.stream().anyMatch(k::startsWith)) {
                env.put(k, v);
            }
        });
        env.put("HOSTNAME", name());
        String index = pod.getMetadata().getLabels() == null ? null
                : pod.getMetadata().getLabels().get(LocalExecutor.INDEX_LABEL);
        if (index != null) {
            // Kubernetes injects this into every container of an Indexed Job's pod
            env.put("JOB_COMPLETION_INDEX", index);
        }
        env.putAll(ctx.env().resolve(pod, c));
        // where the step writes its result: /dev/termination-log is not ours to write outside a container
        env.put(Variables.TERMINATION_LOG, terminationLog.toAbsolutePath().toString());
        return env;
    }

    private static String readMessage(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int n = Math.min(bytes.length, MAX_MESSAGE_BYTES);
        return new String(bytes, 0, n, StandardCharsets.UTF_8).strip();
    }

    /** The end of what this container wrote to the pod's log (from offset), as FallbackToLogsOnError reports it. */
    static String tail(Path log, long from) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(from, f.length() - FALLBACK_BYTES);
            byte[] bytes = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(bytes);
            List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - FALLBACK_LINES), lines.size())).strip();
        }
    }

    private void writeStatus(String phase, String start, List<ContainerStatus> inits, List<ContainerStatus> mains,
                             String reason, String message, PodCondition extra) {
        List<PodCondition> conditions = new ArrayList<>();
        boolean running = phase.equals("Running");
        conditions.add(new PodConditionBuilder().withType("Ready").withStatus(running ? "True" : "False")
                .withLastTransitionTime(now()).build());
        if (extra != null) {
            conditions.add(extra);
        }
        PodStatus status = new PodStatusBuilder().withPhase(phase).withStartTime(start).withHostIP("127.0.0.1")
                .withPodIP("127.0.0.1").withReason(reason).withMessage(message).withConditions(conditions)
                .withInitContainerStatuses(inits.isEmpty() ? null : inits).withContainerStatuses(mains).build();
        // a JSON patch that replaces the whole status: the mock server's merge patch appends to lists
        String patch = "[{\"op\":\"add\",\"path\":\"/status\",\"value\":" + Serialization.asJson(status) + "}]";
        ctx.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(name()).subresource("status")
                .patch(PatchContext.of(PatchType.JSON), patch);
    }

    private static void replace(List<ContainerStatus> inits, List<ContainerStatus> mains, Container c, ContainerStatus s) {
        for (List<ContainerStatus> list : List.of(inits, mains)) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).getName().equals(c.getName())) {
                    list.set(i, s);
                    return;
                }
            }
        }
    }

    private static List<Container> concat(List<Container> a, List<Container> b) {
        List<Container> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static ContainerStatus waiting(Container c, String reason) {
        return status(c, false, new ContainerStateBuilder().withNewWaiting().withReason(reason).endWaiting().build());
    }

    private static ContainerStatus running(Container c, String startedAt) {
        return status(c, true, new ContainerStateBuilder().withNewRunning().withStartedAt(startedAt).endRunning().build());
    }

    private static ContainerStatus terminated(Container c, int exitCode, String reason, String message, String startedAt) {
        return status(c, false, new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode)
                .withReason(reason).withMessage(message == null || message.isEmpty() ? null : message)
                .withStartedAt(startedAt).withFinishedAt(now()).endTerminated().build());
    }

    private static ContainerStatus status(Container c, boolean ready, ContainerState state) {
        return new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withReady(ready)
                .withStarted(state.getRunning() != null).withRestartCount(0).withState(state).build();
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Kills a process and everything it started, politely first. */
    static final class ProcessTrees {
        private ProcessTrees() {
        }

        static void destroy(Process p) {
            List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
            tree.forEach(ProcessHandle::destroy);
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
            tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
    }
}
