package dev.winnow.operator;

import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.TrainingRunSpec;
import dev.winnow.api.v1alpha1.TrainingRunStatus;
import dev.winnow.contract.ArtifactLayout;
import dev.winnow.contract.InferenceOutput;
import dev.winnow.contract.Results;
import dev.winnow.contract.StepName;
import dev.winnow.contract.Variables;
import dev.winnow.operator.job.StepJob;
import dev.winnow.operator.job.StepOutcome;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The infer step of a trained run, in one place: a TrainingRun runs it after training, and a
 * SelectionRound runs it for a run that skipped it ({@code spec.inference.skip}, as a loop sets on
 * the round it plans to be its last, so a finished loop never scores the pool for nothing).
 */
final class Inference {
    private Inference() {
    }

    /**
     * The step for {@code owner}, predicting with {@code run}'s checkpoint and inference settings; the
     * predictions go under the owner's uid, so a re-created owner never reads an older one's.
     */
    static StepJob step(HasMetadata owner, TrainingRun run, Dataset dataset) {
        TrainingRunSpec spec = run.getSpec();
        TrainingRunStatus status = run.getStatus();
        String name = run.getMetadata().getName();
        ArtifactLayout layout = new ArtifactLayout(dataset.getSpec().artifacts.uri);
        int shards = spec.inference == null ? 1 : spec.inference.effectiveShards();
        return StepJob.of(owner, StepName.INFER, dataset)
                .template(spec.inference)
                .env(Variables.CHECKPOINT, status.checkpoint)
                // the succeeded attempt's ids; a run whose training ended under Winnow 0.1.0 has them in the run's folder
                .env(Variables.PREDICT_IDS, status.trainAttempt == null ? layout.predictIds(name) : layout.predictIds(name, status.trainAttempt))
                .env(Variables.PREDICTIONS_OUT, predictions(owner, run, dataset))
                .env(Variables.OUTPUTS, outputs(spec.inference))
                .env(Variables.SHARDS, shards)
                .env(Variables.SEED, spec.seed)
                .shards(shards)
                .backoffLimit(spec.effectiveBackoffLimit())
                .activeDeadlineSeconds(spec.activeDeadlineSeconds)
                .build();
    }

    /** Where the step for {@code owner} writes: in the run's folder, under the owner's uid. */
    static String predictions(HasMetadata owner, TrainingRun run, Dataset dataset) {
        return new ArtifactLayout(dataset.getSpec().artifacts.uri).predictions(run.getMetadata().getName(), owner.getMetadata().getUid());
    }

    /** How many samples the finished step predicted, summed over its shards. */
    static long predicted(StepOutcome infer) {
        return infer.results().stream().mapToLong(r -> r.path(Results.COUNT).asLong(0)).sum();
    }

    static boolean skipped(TrainingRunSpec spec) {
        return spec.inference != null && Boolean.TRUE.equals(spec.inference.skip);
    }

    static String outputs(TrainingRunSpec.Inference inference) {
        return inference == null ? InferenceOutput.envValue(null, 0)
                : InferenceOutput.envValue(inference.outputs, inference.mcDropoutSamples == null ? 0 : inference.mcDropoutSamples);
    }
}
