package dev.winnow.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.LabelingSpec;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.SelectionRoundSpec;
import dev.winnow.api.v1alpha1.SelectionRoundStatus;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.TrainingRunStatus;
import dev.winnow.contract.ArtifactLayout;
import dev.winnow.contract.Input;
import dev.winnow.contract.LabelingMode;
import dev.winnow.contract.Results;
import dev.winnow.contract.StepName;
import dev.winnow.contract.Task;
import dev.winnow.contract.Variables;
import dev.winnow.operator.job.StepJob;
import dev.winnow.operator.job.StepJobBuilder;
import dev.winnow.operator.job.StepOutcome;
import dev.winnow.operator.job.StepRunner;
import dev.winnow.operator.metrics.WinnowMetrics;
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

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Runs the select step, then (unless labeling mode is None) waits for the labels in the await-labels step. */
@ControllerConfiguration(name = "selectionround")
public class SelectionRoundReconciler implements Reconciler<SelectionRound> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StepRunner steps;
    private final StatusReporter report;
    private final References refs;
    private final StatusWriter writer;
    private final WinnowMetrics metrics;

    SelectionRoundReconciler(StepRunner steps, StatusReporter report, References refs, StatusWriter writer, WinnowMetrics metrics) {
        this.steps = steps;
        this.report = report;
        this.refs = refs;
        this.writer = writer;
        this.metrics = metrics;
    }

    @Override
    public List<EventSource<?, SelectionRound>> prepareEventSources(EventSourceContext<SelectionRound> context) {
        return EventSources.withSteps(context,
                refs.readFrom(Dataset.class, EventSources.referenced(context, Dataset.class, "datasets", r -> Set.of(r.getSpec().datasetRef))),
                refs.readFrom(TrainingRun.class, EventSources.referenced(context, TrainingRun.class, "trainingruns",
                        r -> r.getSpec().trainingRunRef == null ? Set.of() : Set.of(r.getSpec().trainingRunRef))));
    }

    /** An exception becomes status ({@link ReconcileErrors}); a Job the API server refuses fails the round in its words. */
    @Override
    public ErrorStatusUpdateControl<SelectionRound> updateErrorStatus(SelectionRound round, Context<SelectionRound> context, Exception e) {
        return ReconcileErrors.failingRun(report, refs, round, context, SelectionRoundStatus::new, e);
    }

    @Override
    public UpdateControl<SelectionRound> reconcile(SelectionRound round, Context<SelectionRound> context) {
        return writer.reconcile(round, context, this::advance);
    }

    private UpdateControl<SelectionRound> advance(SelectionRound round, Context<SelectionRound> context) {
        SelectionRoundSpec spec = round.getSpec();
        Optional<UpdateControl<SelectionRound>> end = RunStart.check(report, round, SelectionRoundStatus::new,
                () -> SpecProblems.of(spec).or(() -> StrategyProblems.of("spec.strategy", spec.strategy, spec.trainingRunRef != null)));
        if (end.isPresent()) {
            return end.get();
        }
        SelectionRoundStatus status = round.getStatus();
        References.DatasetLookup dataset = refs.readyDataset(round, spec.datasetRef);
        if (!dataset.ready()) {
            return Waiting.on(report, round, status, dataset.reason(), dataset.message());
        }
        Task task = dataset.task();
        Optional<String> unfit = StrategyProblems.forTask("spec.strategy", spec.strategy, task, spec.datasetRef);
        if (unfit.isPresent()) {
            return RunOutcomes.failed(report, round, status, Reason.InvalidSpec, unfit.get());
        }
        String predictions = null;
        if (spec.trainingRunRef != null) {
            Optional<TrainingRun> run = refs.get(TrainingRun.class, round, spec.trainingRunRef);
            if (run.isEmpty() && refs.beingCollected(round)) {
                return UpdateControl.noUpdate(); // its loop was deleted and the collector took the TrainingRun first
            }
            if (run.isEmpty()) {
                return Waiting.on(report, round, status, Reason.TrainingRunNotFound,
                        "TrainingRun '" + spec.trainingRunRef + "' not found in namespace " + round.getMetadata().getNamespace());
            }
            Optional<String> unserved = run.get().getSpec() == null ? Optional.empty()
                    : StrategyProblems.forInference("spec.strategy", spec.strategy, task, run.get().getSpec().inference,
                    "TrainingRun '" + spec.trainingRunRef + "' spec.inference");
            if (unserved.isPresent()) {
                return RunOutcomes.failed(report, round, status, Reason.InvalidSpec, unserved.get());
            }
            TrainingRunStatus runStatus = run.get().getStatus();
            if (runStatus != null && Conditions.isTrue(runStatus, Conditions.FAILED)) {
                return RunOutcomes.failed(report, round, status, Reason.TrainingRunFailed, "TrainingRun '" + spec.trainingRunRef + "' failed: " + runStatus.message);
            }
            if (runStatus == null || !Conditions.isTrue(runStatus, Conditions.SUCCEEDED)) {
                return Waiting.on(report, round, status, Reason.WaitingForTrainingRun,
                        "waiting for TrainingRun '" + spec.trainingRunRef + "' to succeed");
            }
            predictions = runStatus.predictions != null ? runStatus.predictions : status.predictions;
            if (predictions == null && status.selection == null && Inference.skipped(run.get().getSpec())) {
                // the run skipped its infer step (a loop's planned last round, resumed since): the round runs it
                StepOutcome infer = steps.run(context, Inference.step(round, run.get(), dataset.dataset()));
                status.inferJob = infer.jobName();
                if (!infer.done()) {
                    return RunOutcomes.underWay(report, round, status, Reason.Inferring, infer);
                }
                if (infer.state() == StepOutcome.State.FAILED) {
                    return RunOutcomes.failed(report, round, status, Reason.InferFailed, infer.message());
                }
                // recorded once, like the select step's result: a Job re-run later must not move what select reads
                predictions = status.predictions = Inference.predictions(round, run.get(), dataset.dataset());
            }
        }
        String embeddings = null;
        if (status.selection == null && spec.trainingRunRef == null && dataset.dataset().getSpec().embedder != null
                && spec.strategy.name.inputs(task).contains(Input.EMBEDDINGS)) {
            // the Dataset asks for embeddings: a first pick waits for them rather than measure in pixels meanwhile
            Optional<String> ready = DatasetEmbeddings.ready(dataset.dataset());
            if (ready.isEmpty()) {
                Reason why = DatasetEmbeddings.notReadyReason(dataset.dataset());
                return Waiting.on(report, round, status, why, why == Reason.EmbedFailed
                        ? "Dataset '" + spec.datasetRef + "' could not compute its embeddings (see its Embedded condition); fix its"
                        + " spec.embedder, or remove it to pick on pooled pixels"
                        : "waiting for Dataset '" + spec.datasetRef + "' to finish its self-supervised embeddings (condition Embedded)");
            }
            embeddings = ready.get();
        }
        if (status.startTime == null) {
            status.startTime = report.now();
            IgnoredFields.of("spec.strategy", spec.strategy, dataset.dataset()).ifPresent(m -> report.warn(round, IgnoredFields.REASON, m));
        }

        String name = round.getMetadata().getName();
        String tag = spec.effectiveTag(name);
        ArtifactLayout layout = new ArtifactLayout(dataset.dataset().getSpec().artifacts.uri);
        int backoff = spec.effectiveBackoffLimit();
        boolean excludeLabeled = spec.exclude == null || spec.exclude.allLabeled == null || spec.exclude.allLabeled;
        // the select step's result is recorded once: the wait for labels that follows may outlive its pod
        if (status.selection == null) {
            StepOutcome select = steps.run(context, StepJob.of(round, StepName.SELECT, dataset.dataset())
                    .template(spec.selector)
                    .env(Variables.PREDICTIONS, predictions)
                    .env(Variables.EMBEDDINGS, embeddings)
                    .env(Variables.STRATEGY, spec.strategy.name.id())
                    .env(Variables.STRATEGY_PARAMS, params(spec.strategy.params))
                    .env(Variables.DETECTION_AGGREGATION, IgnoredFields.detectionAggregation(spec.strategy, dataset.dataset()))
                    .env(Variables.COUNT, spec.count)
                    .env(Variables.TOTAL, spec.total)
                    .env(Variables.EXCLUDE_ALL_LABELED, excludeLabeled)
                    .env(Variables.EXCLUDE_TAGS, spec.exclude == null || spec.exclude.tags == null ? null : String.join(",", spec.exclude.tags))
                    .env(Variables.SEED, spec.seed)
                    .env(Variables.TAG, tag)
                    .env(Variables.ROUND, spec.round)
                    .env(Variables.TRAINING_RUN, spec.trainingRunRef)
                    .env(Variables.SELECTION_OUT, layout.selection(name))
                    .backoffLimit(backoff)
                    .activeDeadlineSeconds(spec.activeDeadlineSeconds)
                    .build());
            status.selectJob = select.jobName();
            if (!select.done()) {
                return RunOutcomes.underWay(report, round, status, Reason.Selecting, select);
            }
            if (select.state() == StepOutcome.State.FAILED) {
                return RunOutcomes.failed(report, round, status, Reason.SelectFailed, select.message());
            }
            JsonNode result = select.result();
            status.selected = result.path(Results.SELECTED).asLong(0);
            status.selection = result.path(Results.SELECTION).asText(layout.selection(name));
            status.sha256 = result.path(Results.SHA256).asText(null);
            status.tag = tag;
            status.embeddingSpace = result.path(Results.EMBEDDING_SPACE).asText(null);
            status.selectSeconds = result.hasNonNull(Results.SECONDS) ? result.get(Results.SECONDS).asDouble() : null;
            status.tagUri = result.path(Results.TAG_URI).asText(layout.tag(tag));
            metrics.labelsRequested(round, status.selected);
        }

        LabelingSpec labeling = spec.labeling == null ? new LabelingSpec() : spec.labeling;
        if (labeling.effectiveMode() == LabelingMode.None) {
            return RunOutcomes.succeeded(report, round, status, Reason.Selected, status.selected + " selected; not waiting for labels (labeling mode None)");
        }
        // proceedAfter over what was selected (a total-based round, a cluster without the CRD's rule) waits for all of them
        Integer minLabels = labeling.proceedAfter == null ? null : (int) Math.min(labeling.proceedAfter, status.selected);
        String waitingFor = labeling.proceedAfter == null ? "their" : minLabels < labeling.proceedAfter
                ? minLabels + " labels (labeling.proceedAfter " + labeling.proceedAfter + " is more than the " + status.selected
                + " selected, so all of them)" : minLabels.toString();
        boolean reports = labeling.effectiveMode() == LabelingMode.External;
        int reported = status.labelReports == null ? 0 : status.labelReports;
        StepOutcome await = steps.run(context, awaitStep(round, dataset.dataset(), labeling, minLabels, reports, reported));
        status.awaitJob = await.jobName();
        if (reported > 0) {
            // the wait before the last report ended and is recorded: its Job has nothing more to say
            steps.delete(context, round, StepJobBuilder.jobName(round, awaitSuffix(reported - 1)));
        }
        if (await.state() == StepOutcome.State.SUCCEEDED && await.result().path(Results.WAITING).asBoolean(false)) {
            recordProgress(status, await.result());
            status.labelReports = reported + 1;
            await = steps.run(context, awaitStep(round, dataset.dataset(), labeling, minLabels, true, reported + 1));
            status.awaitJob = await.jobName();
        }
        if (!await.done()) {
            String progress = status.labeled == null ? "" : "; " + status.labeled + " labeled, " + status.skipped + " skipped, "
                    + status.open + " open";
            return RunOutcomes.underWay(report, round, status, Reason.AwaitingLabels, await,
                    status.selected + " selected" + progress + "; waiting for " + waitingFor + (waitingFor.endsWith(")") ? "" : " labels"));
        }
        if (await.state() == StepOutcome.State.FAILED) {
            return RunOutcomes.failed(report, round, status, Reason.AwaitLabelsFailed, await.message());
        }
        recordProgress(status, await.result());
        metrics.labelsReceived(round, status.labeled);
        return RunOutcomes.succeeded(report, round, status, Reason.Labeled, status.selected + " selected, " + status.labeled + " labeled"
                + (status.skipped != null && status.skipped > 0 ? ", " + status.skipped + " skipped" : ""));
    }

    /**
     * The wait for labels. A running pod cannot tell the operator anything, so in External mode the
     * step ends early to report new progress (labeled/skipped differing from what status holds) and
     * the next wait, a new Job named by the count of reports, carries on.
     */
    private static StepJob awaitStep(SelectionRound round, Dataset dataset, LabelingSpec labeling, Integer minLabels,
                                     boolean reports, int reported) {
        SelectionRoundStatus status = round.getStatus();
        return StepJob.of(round, StepName.AWAIT_LABELS, dataset)
                .jobSuffix(awaitSuffix(reported))
                .waitsForPeople()
                .env(Variables.SELECTION, status.selection)
                .env(Variables.TAG, round.getSpec().effectiveTag(round.getMetadata().getName()))
                .env(Variables.LABELING_MODE, labeling.effectiveMode().name())
                .env(Variables.MIN_LABELS, minLabels)
                .env(Variables.POLL_SECONDS, labeling.pollSeconds)
                .env(Variables.DEADLINE_SECONDS, workerDeadline(round.getSpec().activeDeadlineSeconds))
                .env(Variables.GROUND_TRUTH_URI, labeling.groundTruth == null ? null : labeling.groundTruth.uri)
                .env(Variables.GROUND_TRUTH_FORMAT, labeling.groundTruth == null ? null : labeling.groundTruth.format.name())
                .env(Variables.LABELS_REPORTED, reports ? (status.labeled == null ? 0 : status.labeled) + "/"
                        + (status.skipped == null ? 0 : status.skipped) : null)
                .backoffLimit(round.getSpec().effectiveBackoffLimit())
                .activeDeadlineSeconds(round.getSpec().activeDeadlineSeconds)
                .build();
    }

    /** {@code await}, then {@code await-2}, {@code await-3}... after each progress report. */
    static String awaitSuffix(int reported) {
        return reported == 0 ? "await" : "await-" + (reported + 1);
    }

    private static void recordProgress(SelectionRoundStatus status, JsonNode result) {
        status.labeled = result.path(Results.LABELED).asLong(0);
        status.skipped = result.path(Results.SKIPPED).asLong(0);
        status.open = result.has(Results.OPEN) ? result.get(Results.OPEN).asLong() : Math.max(0, status.selected - status.labeled - status.skipped);
    }

    /**
     * The await step's own deadline ends a minute before its Job's (which counts from the Job's
     * start), so people read the step's "n of m labeled" message rather than DeadlineExceeded.
     */
    static Long workerDeadline(Long jobDeadline) {
        if (jobDeadline == null) {
            return null;
        }
        return jobDeadline > 120 ? jobDeadline - 60 : Math.max(1, jobDeadline / 2);
    }

    private static String params(Map<String, String> params) {
        if (params == null || params.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }



}
