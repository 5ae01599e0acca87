package dev.winnow.operator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.TrainingRunSpec;
import dev.winnow.api.v1alpha1.TrainingRunStatus;
import dev.winnow.contract.ArtifactLayout;
import dev.winnow.contract.InferenceTarget;
import dev.winnow.contract.Results;
import dev.winnow.contract.StepName;
import dev.winnow.contract.Variables;
import dev.winnow.operator.job.StepJob;
import dev.winnow.operator.job.StepOutcome;
import dev.winnow.operator.job.StepRunner;
import dev.winnow.operator.status.Conditions;
import dev.winnow.operator.status.Reason;
import dev.winnow.operator.status.StatusReporter;
import dev.winnow.operator.status.StatusWriter;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Runs the train step, then the infer step as an Indexed Job, and records checkpoint, predictions and metrics. */
@ControllerConfiguration(name = "trainingrun")
public class TrainingRunReconciler implements Reconciler<TrainingRun> {
    private final StepRunner steps;
    private final EngineTraining engines;
    private final StatusReporter report;
    private final References refs;
    private final StatusWriter writer;

    TrainingRunReconciler(StepRunner steps, EngineTraining engines, StatusReporter report, References refs, StatusWriter writer) {
        this.steps = steps;
        this.engines = engines;
        this.report = report;
        this.refs = refs;
        this.writer = writer;
    }

    @Override
    public List<EventSource<?, TrainingRun>> prepareEventSources(EventSourceContext<TrainingRun> context) {
        return EventSources.withSteps(context,
                refs.readFrom(Dataset.class, EventSources.referenced(context, Dataset.class, "datasets", r -> Set.of(r.getSpec().datasetRef))),
                EventSources.referenced(context, TrainingRun.class, "resume-sources", r -> r.getSpec().resumeFrom == null
                        || r.getSpec().resumeFrom.trainingRun == null ? Set.of() : Set.of(r.getSpec().resumeFrom.trainingRun)));
    }

    /** An exception becomes status ({@link ReconcileErrors}); a Job the API server refuses fails the run in its words. */
    @Override
    public ErrorStatusUpdateControl<TrainingRun> updateErrorStatus(TrainingRun run, Context<TrainingRun> context, Exception e) {
        return ReconcileErrors.failingRun(report, refs, run, context, TrainingRunStatus::new, e);
    }

    @Override
    public UpdateControl<TrainingRun> reconcile(TrainingRun run, Context<TrainingRun> context) {
        return writer.reconcile(run, context, this::advance);
    }

    private UpdateControl<TrainingRun> advance(TrainingRun run, Context<TrainingRun> context) {
        Optional<UpdateControl<TrainingRun>> end = RunStart.check(report, run, TrainingRunStatus::new, () -> SpecProblems.of(run.getSpec()));
        if (end.isPresent()) {
            return end.get();
        }
        TrainingRunStatus status = run.getStatus();
        TrainingRunSpec spec = run.getSpec();

        References.DatasetLookup dataset = refs.readyDataset(run, spec.datasetRef);
        if (!dataset.ready()) {
            return Waiting.on(report, run, status, dataset.reason(), dataset.message());
        }
        String resumeFrom = null;
        if (spec.resumeFrom != null && spec.resumeFrom.uri != null) {
            resumeFrom = spec.resumeFrom.uri;
        } else if (spec.resumeFrom != null) {
            Optional<TrainingRun> source = refs.get(TrainingRun.class, run, spec.resumeFrom.trainingRun);
            if (source.isEmpty() && refs.beingCollected(run)) {
                return UpdateControl.noUpdate(); // its loop was deleted and the collector took the previous round first
            }
            if (source.isEmpty()) {
                return Waiting.on(report, run, status, Reason.ResumeSourceNotFound,
                        "TrainingRun '" + spec.resumeFrom.trainingRun + "' to resume from not found");
            }
            TrainingRunStatus other = source.get().getStatus();
            if (other != null && Conditions.isTrue(other, Conditions.FAILED)) {
                return RunOutcomes.failed(report, run, status, Reason.ResumeSourceFailed, "TrainingRun '" + spec.resumeFrom.trainingRun + "' to resume from failed");
            }
            if (other == null || !Conditions.isTrue(other, Conditions.SUCCEEDED) || other.checkpoint == null) {
                return Waiting.on(report, run, status, Reason.WaitingForResumeSource,
                        "waiting for TrainingRun '" + spec.resumeFrom.trainingRun + "' to succeed");
            }
            resumeFrom = other.checkpoint;
        }
        Optional<String> unfit = LabelEfficiency.problem("spec.trainer", spec.trainer,
                spec.pseudoLabels == null ? null : "spec.pseudoLabels", dataset.dataset());
        if (unfit.isPresent()) {
            return RunOutcomes.failed(report, run, status, Reason.InvalidSpec, unfit.get());
        }
        if (status.startTime == null) {
            status.startTime = report.now();
        }

        ArtifactLayout layout = new ArtifactLayout(dataset.dataset().getSpec().artifacts.uri);
        String name = run.getMetadata().getName();
        // the train step's result is recorded once: its pod may be gone by the time inference ends
        if (status.checkpoint == null) {
            LabelEfficiency.BackboneLookup backbone = LabelEfficiency.backbone("spec.trainer", spec.trainer, dataset.dataset());
            if (backbone.reason() == Reason.InvalidSpec) {
                return RunOutcomes.failed(report, run, status, backbone.reason(), backbone.message());
            }
            if (!backbone.found()) {
                return Waiting.on(report, run, status, backbone.reason(), backbone.message());
            }
            String resume = resumeFrom;
            TrainingRunSpec.PseudoLabels pseudo = spec.pseudoLabels;
            // each attempt (pod) writes under its own uid, so another attempt never rewrites what the next step reads;
            // on an engine, every rank uses the place of the prepare Job's attempt
            Function<String, Function<StepName, StepJob.Builder>> step = attempt -> id -> StepJob.of(run, id, dataset.dataset())
                    .env(Variables.TRAIN_IDS, layout.trainIds(name, attempt))
                    .env(Variables.PREDICT_IDS, layout.predictIds(name, attempt))
                    .env(Variables.TRAIN_TAGS, spec.trainOn == null || spec.trainOn.tags == null ? null : String.join(",", spec.trainOn.tags))
                    .env(Variables.TRAIN_ALL_LABELED, spec.trainOn == null || spec.trainOn.tags == null ? "true" : null)
                    .env(Variables.PREDICT_TARGET, target(spec).name())
                    .env(Variables.RESUME_FROM, resume)
                    .env(Variables.CHECKPOINT_OUT, layout.model(name, attempt))
                    .env(Variables.BACKBONE, backbone.uri())
                    .env(Variables.PSEUDO_LABEL_SOURCE, pseudo == null ? null : pseudo.predictions)
                    .env(Variables.PSEUDO_LABEL_THRESHOLD, pseudo == null ? null : pseudo.threshold)
                    .env(Variables.PSEUDO_LABELS, pseudo == null ? null : layout.pseudoLabels(name, attempt))
                    .env(Variables.SEED, spec.seed)
                    .backoffLimit(spec.effectiveBackoffLimit())
                    .activeDeadlineSeconds(spec.activeDeadlineSeconds);
            boolean distributed = EngineTraining.distributed(spec.trainer);
            StepOutcome train = distributed ? engines.run(context, step, spec.trainer, status)
                    : steps.run(context, step.apply(ArtifactLayout.ATTEMPT_REF).apply(StepName.TRAIN).template(spec.trainer)
                            .initStep(StepName.PREPARE).build());
            status.trainJob = train.jobName();
            if (!train.done()) {
                UpdateControl<TrainingRun> control = RunOutcomes.underWay(report, run, status, Reason.Training, train);
                return distributed ? control.rescheduleAfter(engines.poll()) : control;
            }
            if (train.state() == StepOutcome.State.FAILED) {
                return RunOutcomes.failed(report, run, status, train.reason() != null ? train.reason() : Reason.TrainFailed, train.message());
            }
            status.trainAttempt = train.attempt();
            recordTraining(status, train.result(), status.trainAttempt == null ? layout.model(name) : layout.model(name, status.trainAttempt));
        }

        String trained = "trained on " + (status.trained == null ? "?" : status.trained) + " samples"
                + (status.accuracy == null ? "" : ", accuracy " + String.format(java.util.Locale.ROOT, "%.4f", status.accuracy));
        if (Inference.skipped(spec)) {
            return RunOutcomes.succeeded(report, run, status, Reason.Completed,
                    trained + "; no inference (spec.inference.skip: a SelectionRound from this run infers first)");
        }
        StepOutcome infer = steps.run(context, Inference.step(run, run, dataset.dataset()));
        status.inferJob = infer.jobName();
        if (!infer.done()) {
            return RunOutcomes.underWay(report, run, status, Reason.Inferring, infer);
        }
        if (infer.state() == StepOutcome.State.FAILED) {
            return RunOutcomes.failed(report, run, status, Reason.InferFailed, infer.message());
        }
        status.predictions = Inference.predictions(run, run, dataset.dataset());
        status.predicted = Inference.predicted(infer);
        return RunOutcomes.succeeded(report, run, status, Reason.Completed, trained + "; predicted " + status.predicted);
    }

    private static void recordTraining(TrainingRunStatus status, JsonNode result, String defaultCheckpoint) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        result.path(Results.METRICS).fields().forEachRemaining(e -> {
            if (e.getValue().isNumber()) {
                metrics.put(e.getKey(), e.getValue().asDouble());
            }
        });
        status.metrics = metrics.isEmpty() ? null : metrics;
        status.accuracy = metrics.get(Results.ACCURACY);
        status.checkpoint = result.path(Results.CHECKPOINT).asText(defaultCheckpoint);
        status.trained = result.has(Results.TRAINED) ? result.get(Results.TRAINED).asLong() : null;
        status.pseudoLabeled = result.has(Results.PSEUDO_LABELED) ? result.get(Results.PSEUDO_LABELED).asLong() : null;
    }

    private static InferenceTarget target(TrainingRunSpec spec) {
        return spec.inference == null || spec.inference.target == null ? InferenceTarget.Unlabeled : spec.inference.target;
    }



}
