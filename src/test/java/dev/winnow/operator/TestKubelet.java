package dev.winnow.operator;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays the kubelet and the Job controller for reconciler tests: runs each step Job's pods through
 * a scripted handler, writes the termination messages into pod status, and marks the Job Complete
 * or Failed, honouring backoffLimit and completions (Indexed Jobs).
 */
final class TestKubelet implements AutoCloseable {
    /** One pod attempt's end: exit code and termination message. */
    record PodResult(int exitCode, String message) {
        static PodResult ok(String json) {
            return new PodResult(0, json);
        }

        static PodResult fail(String message) {
            return new PodResult(1, message);
        }
    }

    /** What a step's container does, given its Job, its completion index and its environment. */
    interface Handler {
        PodResult run(Job job, int index, Map<String, String> env);
    }

    private final KubernetesClient client;
    private final Map<String, Handler> handlers = new HashMap<>();
    private final Set<String> finished = Collections.synchronizedSet(new HashSet<>());
    private final Map<String, String> refusals = new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<String> refused = Collections.synchronizedSet(new HashSet<>());
    private final Set<String> held = Collections.synchronizedSet(new HashSet<>());
    private final List<String> ran = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private volatile boolean automatic;

    TestKubelet(KubernetesClient client) {
        this.client = client;
        loop.scheduleWithFixedDelay(() -> {
            if (automatic) {
                runPending();
            }
        }, 20, 20, TimeUnit.MILLISECONDS);
    }

    TestKubelet on(String step, Handler handler) {
        handlers.put(step, handler);
        return this;
    }

    /**
     * Plays an admission that refuses the pods of this step's Jobs: the Job controller writes a
     * FailedCreate Event on the Job, with the API server's message, and the Job gets no pods.
     */
    TestKubelet refuse(String step, String apiMessage) {
        refusals.put(step, apiMessage);
        return this;
    }

    /** The refusal is lifted (the namespace relabelled, quota freed): the step's Jobs get their pods. */
    TestKubelet admit(String step) {
        refusals.remove(step);
        return this;
    }

    /** Leaves the Job of this name running (no pod ends) while everything else goes on. */
    TestKubelet hold(String jobName) {
        held.add(jobName);
        return this;
    }

    /** Lets a held Job's pods end again. */
    TestKubelet release(String jobName) {
        held.remove(jobName);
        return this;
    }

    /** Completes Jobs as soon as they appear. */
    TestKubelet automatic() {
        automatic = true;
        return this;
    }

    TestKubelet manual() {
        automatic = false;
        return this;
    }

    /** Names of the Jobs run so far, in order. */
    List<String> ran() {
        synchronized (ran) {
            return List.copyOf(ran);
        }
    }

    /** Jobs that exist and have not been run. */
    List<Job> pending() {
        return client.batch().v1().jobs().inAnyNamespace().list().getItems().stream()
                .filter(j -> !finished.contains(j.getMetadata().getUid()))
                .toList();
    }

    /** Runs every pending Job to its end, except refused ones; returns how many ran. */
    synchronized int runPending() {
        int count = 0;
        for (Job job : pending()) {
            if (held.contains(job.getMetadata().getName())) {
                continue;
            }
            String refusal = refusals.get(job.getMetadata().getLabels().get("winnow.dev/step"));
            if (refusal != null) {
                failedCreate(job, refusal);
                continue;
            }
            run(job);
            count++;
        }
        return count;
    }

    private void failedCreate(Job job, String apiMessage) {
        if (!refused.add(job.getMetadata().getUid())) {
            return;
        }
        String now = Instant.now().toString();
        String name = job.getMetadata().getName();
        client.v1().events().inNamespace(job.getMetadata().getNamespace()).resource(new EventBuilder()
                .withNewMetadata().withName(name + "." + Long.toHexString(System.nanoTime())).withNamespace(job.getMetadata().getNamespace()).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion("batch/v1").withKind("Job").withName(name)
                        .withNamespace(job.getMetadata().getNamespace()).withUid(job.getMetadata().getUid()).build())
                .withType("Warning").withReason("FailedCreate")
                .withMessage("Error creating: pods \"" + name + "-x7k2p\" is forbidden: " + apiMessage)
                .withNewSource().withComponent("job-controller").endSource()
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build()).create();
    }

    private void run(Job job) {
        finished.add(job.getMetadata().getUid());
        ran.add(job.getMetadata().getName());
        String step = job.getMetadata().getLabels().get("winnow.dev/step");
        Handler handler = handlers.getOrDefault(step, (j, i, env) -> PodResult.ok("{}"));
        int completions = job.getSpec().getCompletions() == null ? 1 : job.getSpec().getCompletions();
        int backoffLimit = job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
        int failed = 0;
        int succeeded = 0;
        for (int index = 0; index < completions && failed <= backoffLimit; index++) {
            while (failed <= backoffLimit) {
                // the pod exists before it runs, so its variables can name its uid
                Pod created = createPod(job, index, failed + succeeded);
                Map<String, String> env = env(job, created.getMetadata().getUid());
                env.put("JOB_COMPLETION_INDEX", String.valueOf(index));
                // init containers run first, each by the handler of its name when there is one; the first failure ends the pod
                String failedInit = null;
                PodResult result = null;
                for (var init : job.getSpec().getTemplate().getSpec().getInitContainers()) {
                    Handler initHandler = handlers.get(init.getName());
                    PodResult r = initHandler == null ? PodResult.ok("{}") : initHandler.run(job, index, env);
                    if (r.exitCode() != 0) {
                        failedInit = init.getName();
                        result = r;
                        break;
                    }
                }
                if (result == null) {
                    result = handler.run(job, index, env);
                }
                finishPod(created, job, result, failedInit);
                if (result.exitCode() == 0) {
                    succeeded++;
                    break;
                }
                failed++;
            }
        }
        boolean complete = succeeded == completions;
        String now = Instant.now().toString();
        job.setStatus(new JobStatusBuilder().withStartTime(now).withSucceeded(succeeded).withFailed(failed).withActive(0)
                .withConditions(new JobConditionBuilder().withType(complete ? "Complete" : "Failed").withStatus("True")
                        .withReason(complete ? null : "BackoffLimitExceeded")
                        .withMessage(complete ? null : "Job has reached the specified backoff limit").build())
                .withCompletionTime(complete ? now : null).build());
        client.batch().v1().jobs().resource(job).updateStatus();
    }

    /** The container's variables as the kubelet makes them: the pod's uid by fieldRef, $(VAR) expanded in order. */
    private static Map<String, String> env(Job job, String podUid) {
        Map<String, String> env = new HashMap<>();
        List<EnvVar> vars = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        for (EnvVar v : vars) {
            if (v.getValue() != null) {
                String value = v.getValue();
                for (var e : env.entrySet()) {
                    value = value.replace("$(" + e.getKey() + ")", e.getValue());
                }
                env.put(v.getName(), value);
            } else if (v.getValueFrom() != null && v.getValueFrom().getFieldRef() != null
                    && "metadata.uid".equals(v.getValueFrom().getFieldRef().getFieldPath())) {
                env.put(v.getName(), podUid);
            }
        }
        return env;
    }

    private Pod createPod(Job job, int index, int attempt) {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(job.getMetadata().getName() + "-" + index + "-" + attempt)
                .withNamespace(job.getMetadata().getNamespace())
                .addToLabels("job-name", job.getMetadata().getName())
                .addToLabels("batch.kubernetes.io/job-name", job.getMetadata().getName())
                .addToLabels("batch.kubernetes.io/job-completion-index", String.valueOf(index))
                .endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .build();
        return client.pods().inNamespace(job.getMetadata().getNamespace()).resource(pod).create();
    }

    private void finishPod(Pod created, Job job, PodResult result, String failedInit) {
        String container = job.getSpec().getTemplate().getSpec().getContainers().get(0).getName();
        List<io.fabric8.kubernetes.api.model.ContainerStatus> inits = new ArrayList<>();
        for (var init : job.getSpec().getTemplate().getSpec().getInitContainers()) {
            boolean failedHere = init.getName().equals(failedInit);
            inits.add(new ContainerStatusBuilder().withName(init.getName()).withNewState().withNewTerminated()
                    .withExitCode(failedHere ? result.exitCode() : 0).withReason(failedHere ? "Error" : "Completed")
                    .withMessage(failedHere ? result.message() : "{}").endTerminated().endState().build());
            if (failedHere) {
                break;
            }
        }
        var main = failedInit != null
                ? new ContainerStatusBuilder().withName(container).withNewState().withNewWaiting().withReason("PodInitializing")
                        .endWaiting().endState().build()
                : new ContainerStatusBuilder().withName(container)
                        .withNewState().withNewTerminated().withExitCode(result.exitCode())
                        .withReason(result.exitCode() == 0 ? "Completed" : "Error").withMessage(result.message())
                        .endTerminated().endState().build();
        var status = new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                .withPhase(result.exitCode() == 0 ? "Succeeded" : "Failed")
                .withInitContainerStatuses(inits)
                .withContainerStatuses(main)
                .build();
        created.setStatus(status);
        client.pods().inNamespace(job.getMetadata().getNamespace()).resource(created).updateStatus();
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
