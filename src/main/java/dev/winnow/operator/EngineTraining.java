package dev.winnow.operator;

import dev.winnow.api.v1alpha1.StepTemplate;
import dev.winnow.api.v1alpha1.TrainerTemplate;
import dev.winnow.api.v1alpha1.TrainingEngine;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.TrainingRunStatus;
import dev.winnow.contract.ArtifactLayout;
import dev.winnow.contract.StepName;
import dev.winnow.operator.engine.EngineRunner;
import dev.winnow.operator.job.StepJob;
import dev.winnow.operator.job.StepOutcome;
import dev.winnow.operator.job.StepRunner;
import io.javaoperatorsdk.operator.api.reconciler.Context;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * A train step on a training engine (PyTorchJob, TrainJob): first a small prepare Job writes the id
 * lists once (a TrainJob cannot take Winnow's init container, and every rank preparing at once would
 * only repeat the work), then the engine's resource trains on every node.
 */
final class EngineTraining {
    private final StepRunner steps;
    private final EngineRunner engines;
    private final Duration poll;

    EngineTraining(StepRunner steps, EngineRunner engines, Duration poll) {
        this.steps = steps;
        this.engines = engines;
        this.poll = poll;
    }

    static boolean distributed(TrainerTemplate trainer) {
        return trainer != null && trainer.effectiveEngine() != TrainingEngine.Job;
    }

    /** How soon to look again while the engine's resource runs: it has no informer. */
    Duration poll() {
        return poll;
    }

    /**
     * @param step the train step's contract for an attempt's place and a step name (prepare, then train): the prepare
     *             pod writes under its own uid, and every rank of the engine reads and writes under that one
     * @return the engine's outcome, whose attempt is the prepare pod's: the place of the ids and the model
     */
    StepOutcome run(Context<TrainingRun> context, Function<String, Function<StepName, StepJob.Builder>> step, TrainerTemplate trainer,
                    TrainingRunStatus status) {
        StepOutcome prepare = steps.run(context, step.apply(ArtifactLayout.ATTEMPT_REF).apply(StepName.PREPARE)
                .template(prepareTemplate(trainer)).build());
        if (!prepare.done() || prepare.state() == StepOutcome.State.FAILED) {
            return prepare;
        }
        String attempt = prepare.attempt();
        EngineRunner.Observed observed = engines.run(step.apply(attempt == null ? ArtifactLayout.ATTEMPT_REF : attempt).apply(StepName.TRAIN)
                .template(trainer).build(), trainer, status.rankZeroError);
        // kept in status: the engine may delete rank 0's pod before it says Failed (termination messages are at most 4 KiB)
        status.rankZeroError = observed.rankZeroError() == null ? null
                : observed.rankZeroError().substring(0, Math.min(4096, observed.rankZeroError().length()));
        StepOutcome train = observed.outcome();
        return attempt == null ? train
                : new StepOutcome(train.state(), train.jobName(), train.results(), train.reason(), train.message(), List.of(attempt));
    }

    /** Winnow's worker, with the trainer's service account (storage access) and none of its GPUs. */
    private static StepTemplate prepareTemplate(TrainerTemplate trainer) {
        StepTemplate t = new StepTemplate();
        t.serviceAccountName = trainer.serviceAccountName;
        t.priorityClassName = trainer.priorityClassName;
        return t;
    }
}
