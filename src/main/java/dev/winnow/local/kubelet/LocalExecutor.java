package dev.winnow.local.kubelet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Plays the Job controller and the kubelet for the demo: watches batch/v1 Jobs in the embedded API and runs each
 * Job's pods as local processes of Winnow's worker, writing Pod and Job status as a cluster would. Only
 * the worker image can run (see {@link WorkerImage}); this is not used on a real cluster.
 *
 * <p>All bookkeeping happens on one control thread; pods run on a pool of {@code maxParallel} threads. What a
 * Job has done so far is read back from its pods when the executor (re)starts, so a demo that was stopped
 * resumes: finished Jobs are left alone, and pods that were running when it stopped are marked disrupted (not
 * counted against backoffLimit, as with a pod failure policy that ignores disruptions) and run again.
 */
public final class LocalExecutor implements AutoCloseable {
    public static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
    public static final String LEGACY_JOB_NAME_LABEL = "job-name";
    public static final String CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
    public static final String INDEX_LABEL = "batch.kubernetes.io/job-completion-index";
    /** Kubernetes' default when a Job does not say. */
    static final int DEFAULT_BACKOFF_LIMIT = 6;
    private static final Logger LOG = Logger.getLogger(LocalExecutor.class.getName());

    /**
     * @param workerImage the image whose containers run locally (the worker image the operator puts in its Jobs)
     * @param maxParallel pods running at once, over all Jobs
     * @param workdir     where logs/ and pods/ (termination logs) go; also the processes' working directory
     * @param retryDelay  wait before a failed pod is retried (Kubernetes starts at 10s; a demo wants less)
     */
    public record Settings(String workerImage, int maxParallel, Path workdir, Duration retryDelay) {
        public Settings {
            if (maxParallel < 1) {
                throw new IllegalArgumentException("maxParallel must be at least 1");
            }
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final Settings settings;
    private final PodRun.Context podContext;
    private final ScheduledExecutorService control;
    private final ExecutorService pods;
    private final Map<String, JobRun> jobs = new HashMap<>();
    private SharedIndexInformer<Job> informer;
    private volatile boolean closing;

    public LocalExecutor(KubernetesClient client, String namespace, Settings settings, StepLauncher launcher) {
        this.client = client;
        this.namespace = namespace;
        this.settings = settings;
        this.podContext = new PodRun.Context(client, launcher, new WorkerImage(settings.workerImage()),
                new EnvResolver(client), settings.workdir());
        this.control = Executors.newSingleThreadScheduledExecutor(daemon("local-executor"));
        this.pods = Executors.newFixedThreadPool(settings.maxParallel(), daemon("local-pod"));
    }

    /** Starts watching Jobs; returns once the existing ones are known. */
    public LocalExecutor start() {
        // assigned before it runs: the handlers read its store, and the first events come during the initial list
        informer = client.batch().v1().jobs().inNamespace(namespace).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Job job) {
                control.execute(() -> sync(key(job)));
            }

            @Override
            public void onUpdate(Job oldJob, Job job) {
                control.execute(() -> sync(key(job)));
            }

            @Override
            public void onDelete(Job job, boolean deletedFinalStateUnknown) {
                control.execute(() -> deleted(job));
            }
        });
        try {
            informer.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the local executor", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not watch Jobs in the embedded API", e);
        }
        return this;
    }

    /**
     * Stops: running pods are killed (their whole process trees) and marked disrupted, Jobs are left with no
     * active pods, so a later executor picks them up where they were.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        if (informer != null) {
            informer.stop();
        }
        try {
            control.submit(() -> jobs.values().forEach(run -> run.active.values()
                    .forEach(p -> p.interrupt("the demo was stopped")))).get(30, TimeUnit.SECONDS);
            pods.shutdown();
            if (!pods.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warning("pods still running after 30s; leaving them");
            }
            // the pods' last callbacks are queued before this one, so the Jobs' statuses end consistent
            control.submit(() -> jobs.values().stream().filter(r -> !r.finished).forEach(this::writeStatus))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "stopping the local executor", e);
        } finally {
            control.shutdownNow();
            pods.shutdownNow();
        }
    }

    // ---- control thread only below ----

    private void sync(String key) {
        if (closing) {
            return;
        }
        Job job = informer.getStore().getByKey(key);
        if (job == null) {
            return;
        }
        try {
            JobRun run = jobs.get(job.getMetadata().getUid());
            if (run == null) {
                if (isFinished(job)) {
                    return;
                }
                run = recover(job);
                jobs.put(run.uid, run);
            }
            if (!run.finished) {
                advance(job, run);
            }
        } catch (RuntimeException e) {
            // an executor task's exception would vanish silently: say so, and try again rather than leave the Job hanging
            LOG.log(Level.WARNING, "syncing job " + key, e);
            control.schedule(() -> sync(key), 1, TimeUnit.SECONDS);
        }
    }

    private void advance(Job job, JobRun run) {
        Instant now = Instant.now();
        if (run.deadline != null && !now.isBefore(run.deadline)) {
            finish(run, "Failed", "DeadlineExceeded", "Job was active longer than specified deadline");
        } else if (run.refusal != null) {
            // retrying cannot help: fail the Job at once, as a pod failure policy with action FailJob would
            finish(run, "Failed", "PodFailurePolicy", run.refusal);
        } else if (run.failed > run.backoffLimit) {
            finish(run, "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"
                    + (run.lastFailure.isEmpty() ? "" : ": " + run.lastFailure));
        } else if (run.succeeded.size() >= run.completions) {
            finish(run, "Complete", null, null);
        } else if (!Boolean.TRUE.equals(job.getSpec().getSuspend())) {
            launchPods(job, run, now);
        }
        writeStatus(run);
    }

    private void launchPods(Job job, JobRun run, Instant now) {
        if (now.isBefore(run.retryAfter)) {
            control.schedule(() -> sync(run.key()), Duration.between(now, run.retryAfter).toMillis() + 1,
                    TimeUnit.MILLISECONDS);
            return;
        }
        for (int index = 0; index < run.completions && run.active.size() < run.parallelism; index++) {
            if (!run.succeeded.contains(index) && !run.active.containsKey(index)) {
                launch(job, run, index);
            }
        }
    }

    private void launch(Job job, JobRun run, int index) {
        Pod pod = null;
        while (pod == null) {
            int attempt = run.attempts.merge(index, 1, Integer::sum) - 1;
            try {
                pod = client.pods().inNamespace(run.namespace).resource(podFor(job, run, index, attempt)).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                // a pod of that name is left from an earlier run: take the next attempt number
            }
        }
        PodRun podRun = new PodRun(pod, podContext);
        run.active.put(index, podRun);
        pods.execute(() -> {
            PodRun.Outcome outcome;
            try {
                outcome = podRun.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "pod " + podRun.name(), e);
                outcome = PodRun.Outcome.DISRUPTED;
            }
            PodRun.Outcome o = outcome;
            control.execute(() -> podFinished(run, index, podRun, o));
        });
    }

    private void podFinished(JobRun run, int index, PodRun podRun, PodRun.Outcome outcome) {
        run.active.remove(index, podRun);
        switch (outcome) {
            case SUCCEEDED -> run.succeeded.add(index);
            case FAILED -> {
                run.failed++;
                run.lastFailure = podRun.failureMessage();
                run.retryAfter = Instant.now().plus(settings.retryDelay());
            }
            case REFUSED -> {
                run.failed++;
                run.refusal = podRun.failureMessage();
            }
            case DISRUPTED -> {
                // not the step's fault: run it again, without counting it
            }
        }
        if (closing) {
            return;
        }
        if (run.finished) {
            writeStatus(run);
        } else {
            sync(run.key());
        }
    }

    private void deleted(Job job) {
        JobRun run = jobs.remove(job.getMetadata().getUid());
        if (run != null) {
            run.finished = true;
            run.active.values().forEach(p -> p.interrupt("its Job was deleted"));
        }
        // no garbage collector here: remove the Job's pods as Kubernetes would
        client.pods().inNamespace(job.getMetadata().getNamespace())
                .withLabel(CONTROLLER_UID_LABEL, job.getMetadata().getUid()).delete();
    }

    private void finish(JobRun run, String type, String reason, String message) {
        run.finished = true;
        run.condition = type;
        run.reason = reason;
        run.message = message;
        run.finishedAt = PodRun.now();
        run.active.values().forEach(p -> p.interrupt(reason == null ? "Job finished" : reason));
    }

    /** Reads what the Job's pods did before this executor saw it (a restart), and starts its bookkeeping. */
    private JobRun recover(Job job) {
        JobRun run = new JobRun(job);
        for (Pod pod : client.pods().inNamespace(run.namespace).withLabel(CONTROLLER_UID_LABEL, run.uid).list()
                .getItems()) {
            Map<String, String> labels = pod.getMetadata().getLabels();
            int index = parseIndex(pod, labels);
            int attempt = parseAttempt(pod.getMetadata().getName());
            run.attempts.merge(index, attempt + 1, Math::max);
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if ("Succeeded".equals(phase)) {
                run.succeeded.add(index);
            } else if ("Failed".equals(phase)) {
                boolean disrupted = pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                        .stream().anyMatch(c -> "DisruptionTarget".equals(c.getType()) && "True".equals(c.getStatus()));
                if (!disrupted) {
                    run.failed++;
                    if ("UnsupportedImage".equals(pod.getStatus().getReason())) {
                        run.refusal = pod.getStatus().getMessage();
                    }
                }
            } else {
                // its process died with the executor that started it: record that, then run the index again
                var status = pod.getStatus() == null ? new io.fabric8.kubernetes.api.model.PodStatus() : pod.getStatus();
                status.setPhase("Failed");
                status.setReason("DisruptionTarget");
                status.setMessage("the demo executor stopped while this pod ran");
                status.setConditions(List.of(new PodConditionBuilder().withType("DisruptionTarget").withStatus("True")
                        .withReason("TerminationByWinnowDemo").withLastTransitionTime(PodRun.now()).build()));
                client.pods().inNamespace(run.namespace).withName(pod.getMetadata().getName()).subresource("status")
                        .patch(PatchContext.of(PatchType.JSON),
                                "[{\"op\":\"add\",\"path\":\"/status\",\"value\":" + Serialization.asJson(status) + "}]");
            }
        }
        if (run.deadline != null) {
            control.schedule(() -> sync(run.key()), Math.max(0, Duration.between(Instant.now(), run.deadline).toMillis()) + 1,
                    TimeUnit.MILLISECONDS);
        }
        return run;
    }

    private static int parseIndex(Pod pod, Map<String, String> labels) {
        String label = labels == null ? null : labels.get(INDEX_LABEL);
        if (label != null) {
            return Integer.parseInt(label);
        }
        // NonIndexed Jobs: the slot is the second-to-last part of <job>-<slot>-<attempt>
        String[] parts = pod.getMetadata().getName().split("-");
        return parts.length >= 3 ? Integer.parseInt(parts[parts.length - 2]) : 0;
    }

    private static int parseAttempt(String podName) {
        try {
            return Integer.parseInt(podName.substring(podName.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private Pod podFor(Job job, JobRun run, int index, int attempt) {
        var template = job.getSpec().getTemplate();
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> annotations = new LinkedHashMap<>();
        if (template.getMetadata() != null) {
            if (template.getMetadata().getLabels() != null) {
                labels.putAll(template.getMetadata().getLabels());
            }
            if (template.getMetadata().getAnnotations() != null) {
                annotations.putAll(template.getMetadata().getAnnotations());
            }
        }
        labels.put(LEGACY_JOB_NAME_LABEL, run.name);
        labels.put(JOB_NAME_LABEL, run.name);
        labels.put("controller-uid", run.uid);
        labels.put(CONTROLLER_UID_LABEL, run.uid);
        if (run.indexed) {
            labels.put(INDEX_LABEL, Integer.toString(index));
            annotations.put(INDEX_LABEL, Integer.toString(index));
        }
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                .withName(run.name).withUid(run.uid).withController(true).withBlockOwnerDeletion(true).build();
        PodSpec spec = Serialization.clone(template.getSpec());
        spec.setNodeName("winnow-demo");
        return new PodBuilder().withNewMetadata().withName(run.name + "-" + index + "-" + attempt)
                .withNamespace(run.namespace).withLabels(labels).withAnnotations(annotations.isEmpty() ? null : annotations)
                .withOwnerReferences(owner).endMetadata()
                .withSpec(spec).withNewStatus().withPhase("Pending").endStatus().build();
    }

    /** The Job's status as the Job controller writes it: counts, completed indexes, and the final condition. */
    private void writeStatus(JobRun run) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode status = f.objectNode();
        status.put("startTime", run.startTime);
        status.put("active", closing ? 0 : run.active.size());
        status.put("ready", closing ? 0 : run.active.size());
        status.put("succeeded", run.succeeded.size());
        status.put("failed", run.failed);
        if (run.indexed) {
            status.put("completedIndexes", IndexRanges.format(run.succeeded));
        }
        if (run.finished) {
            ArrayNode conditions = status.putArray("conditions");
            ObjectNode c = conditions.addObject();
            c.put("type", run.condition).put("status", "True").put("lastProbeTime", run.finishedAt)
                    .put("lastTransitionTime", run.finishedAt);
            if (run.reason != null) {
                c.put("reason", run.reason);
            }
            if (run.message != null) {
                c.put("message", run.message);
            }
            if ("Complete".equals(run.condition)) {
                status.put("completionTime", run.finishedAt);
            }
        }
        // each write comes back as an informer update; writing only changes keeps that from looping
        if (status.equals(run.lastWritten)) {
            return;
        }
        run.lastWritten = status;
        // a JSON patch that replaces the whole status: the mock server's merge patch appends to lists
        ArrayNode patch = f.arrayNode();
        patch.addObject().put("op", "add").put("path", "/status").set("value", status);
        client.batch().v1().jobs().inNamespace(run.namespace).withName(run.name).subresource("status")
                .patch(PatchContext.of(PatchType.JSON), patch.toString());
    }

    static boolean isFinished(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return false;
        }
        for (JobCondition c : job.getStatus().getConditions()) {
            if (("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus())) {
                return true;
            }
        }
        return false;
    }

    private static String key(Job job) {
        return job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** One Job's bookkeeping, touched by the control thread only. */
    private static final class JobRun {
        final String namespace;
        final String name;
        final String uid;
        final boolean indexed;
        final int completions;
        final int parallelism;
        final int backoffLimit;
        final String startTime;
        final Instant deadline;
        final TreeSet<Integer> succeeded = new TreeSet<>();
        final Map<Integer, PodRun> active = new HashMap<>();
        final Map<Integer, Integer> attempts = new HashMap<>();
        int failed;
        String lastFailure = "";
        String refusal;
        Instant retryAfter = Instant.EPOCH;
        boolean finished;
        String condition;
        String reason;
        String message;
        String finishedAt;
        ObjectNode lastWritten;

        JobRun(Job job) {
            var spec = job.getSpec();
            namespace = job.getMetadata().getNamespace();
            name = job.getMetadata().getName();
            uid = job.getMetadata().getUid();
            indexed = "Indexed".equals(spec.getCompletionMode());
            completions = spec.getCompletions() == null ? 1 : spec.getCompletions();
            parallelism = spec.getParallelism() == null ? 1 : Math.max(1, spec.getParallelism());
            backoffLimit = spec.getBackoffLimit() == null ? DEFAULT_BACKOFF_LIMIT : spec.getBackoffLimit();
            String started = job.getStatus() == null ? null : job.getStatus().getStartTime();
            startTime = started != null ? started : PodRun.now();
            deadline = spec.getActiveDeadlineSeconds() == null ? null
                    : Instant.parse(startTime).plusSeconds(spec.getActiveDeadlineSeconds());
        }

        String key() {
            return namespace + "/" + name;
        }
    }
}
