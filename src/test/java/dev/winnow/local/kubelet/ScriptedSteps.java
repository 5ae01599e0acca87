package dev.winnow.local.kubelet;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Small shell scripts in place of the worker, for the executor's tests and the demo's: each "step" is picked
 * by the container's second argument (worker &lt;step&gt;).
 */
public final class ScriptedSteps {
    public static final String IMAGE = "ghcr.io/winnow-dev/worker:0.1.0";

    static final Map<String, String> SCRIPTS = Map.of(
            "ok", "echo training; echo '{\"ok\":1}' > \"$WINNOW_TERMINATION_LOG\"",
            "fail", "echo starting; echo 'boom: out of labels'; exit 3",
            "flaky", "if [ -f \"flaky-$HOSTNAME-done\" ] || [ -f flaky.marker ]; then echo '{\"ok\":2}' > \"$WINNOW_TERMINATION_LOG\";"
                    + " else touch flaky.marker; exit 1; fi",
            "shard", "echo \"{\\\"shard\\\":$JOB_COMPLETION_INDEX,\\\"key\\\":\\\"$AWS_ACCESS_KEY_ID\\\","
                    + "\\\"region\\\":\\\"$AWS_REGION\\\",\\\"pod\\\":\\\"$POD\\\",\\\"uri\\\":\\\"$URI\\\"}\" > \"$WINNOW_TERMINATION_LOG\"",
            "sleep", "sleep 30",
            "init", "echo init > \"init-$HOSTNAME\"",
            "after-init", "test -f \"init-$HOSTNAME\" && echo '{\"init\":true}' > \"$WINNOW_TERMINATION_LOG\"");

    static final Map<String, Integer> launchesByStep = new ConcurrentHashMap<>();

    public static final StepLauncher LAUNCHER = (args, env, dir, log) -> {
        launchesByStep.merge(args.get(1), 1, Integer::sum);
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", SCRIPTS.get(args.get(1))).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    };

    private ScriptedSteps() {
    }

    /** A one-container Job of the worker image running the scripted {@code step}. */
    public static Job job(String name, String step, int backoffLimit, Long deadline) {
        return new JobBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withBackoffLimit(backoffLimit).withActiveDeadlineSeconds(deadline)
                .withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("step").withImage(IMAGE).withArgs("worker", step)
                .withTerminationMessagePolicy("FallbackToLogsOnError").endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    /** Whether the executor counts the Job as done (Complete or Failed); tests outside this package wait on it. */
    public static boolean finished(Job job) {
        return LocalExecutor.isFinished(job);
    }
}
