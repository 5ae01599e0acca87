package dev.winnow.operator;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.ActiveLearningLoopSpec;
import dev.winnow.api.v1alpha1.ActiveLearningLoopStatus;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.contract.Task;
import dev.winnow.operator.loop.LoopPlanner;
import dev.winnow.operator.metrics.WinnowMetrics;
import dev.winnow.operator.status.Conditions;
import dev.winnow.operator.status.Reason;
import dev.winnow.operator.status.StatusReporter;
import dev.winnow.operator.status.StatusWriter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Chains the rounds of a loop: observes its children, lets {@link LoopPlanner} decide, creates at
 * most one child per reconcile, and mirrors the progress into status.
 */
@ControllerConfiguration(name = "activelearningloop")
public class ActiveLearningLoopReconciler implements Reconciler<ActiveLearningLoop> {
    private final KubernetesClient client;
    private final StatusReporter report;
    private final References refs;
    private final StatusWriter writer;
    private final WinnowMetrics metrics;

    ActiveLearningLoopReconciler(KubernetesClient client, StatusReporter report, References refs, StatusWriter writer,
                                 WinnowMetrics metrics) {
        this.client = client;
        this.report = report;
        this.refs = refs;
        this.writer = writer;
        this.metrics = metrics;
    }

    @Override
    public List<EventSource<?, ActiveLearningLoop>> prepareEventSources(EventSourceContext<ActiveLearningLoop> context) {
        metrics.countLoopsIn(context.getPrimaryCache());
        return List.of(EventSources.owned(context, TrainingRun.class, null),
                EventSources.owned(context, SelectionRound.class, null),
                refs.readFrom(Dataset.class, EventSources.referenced(context, Dataset.class, "datasets", l -> Set.of(l.getSpec().datasetRef))));
    }

    /** An exception becomes status ({@link ReconcileErrors}); a child the API server refuses fails the loop in its words. */
    @Override
    public ErrorStatusUpdateControl<ActiveLearningLoop> updateErrorStatus(ActiveLearningLoop loop, Context<ActiveLearningLoop> context, Exception e) {
        ActiveLearningLoopStatus status = loop.getStatus() == null ? new ActiveLearningLoopStatus() : loop.getStatus();
        loop.setStatus(status);
        return ReconcileErrors.toStatus(report, refs, loop, context, status, e, (reason, message) -> {
            status.stage = "Done";
            report.set(loop, status, Conditions.READY, false, reason, message);
            RunOutcomes.failed(report, loop, status, reason, message);
        }, (reason, message) -> {
            report.set(loop, status, Conditions.READY, false, reason, message);
            report.set(loop, status, Conditions.PROGRESSING, false, reason, message);
        });
    }

    @Override
    public UpdateControl<ActiveLearningLoop> reconcile(ActiveLearningLoop loop, Context<ActiveLearningLoop> context) {
        metrics.loopPhase(loop.getStatus() == null ? null : loop.getStatus().phase);
        return writer.reconcile(loop, context, (l, c) -> {
            UpdateControl<ActiveLearningLoop> control = advance(l, c);
            // the phase's gauge exists before the status that shows it is written, so no scrape misses the loop
            metrics.loopPhase(l.getStatus().phase);
            return control;
        });
    }

    private UpdateControl<ActiveLearningLoop> advance(ActiveLearningLoop loop, Context<ActiveLearningLoop> context) {
        ActiveLearningLoopSpec spec = loop.getSpec();
        Optional<UpdateControl<ActiveLearningLoop>> end = RunStart.check(loop, ActiveLearningLoopStatus::new,
                s -> RunOutcomes.seen(loop, s) ? Optional.of(UpdateControl.noUpdate()) : resumeOrRefuse(loop, context, s),
                () -> problems(spec), (s, problem) -> failed(loop, s, Reason.InvalidSpec, problem));
        if (end.isPresent()) {
            return end.get();
        }
        ActiveLearningLoopStatus status = loop.getStatus();
        References.DatasetLookup dataset = refs.readyDataset(loop, loop.getSpec().datasetRef);
        if (!dataset.ready()) {
            report.set(loop, status, Conditions.READY, false, dataset.reason(), dataset.message());
            return Waiting.on(report, loop, status, dataset.reason(), dataset.message());
        }
        Task task = dataset.task();
        Optional<String> unfit = StrategyProblems.forTask("spec.initialSelection.strategy", spec.initialSelection.strategy, task,
                        spec.datasetRef)
                .or(() -> StrategyProblems.forTask("spec.round.selection.strategy", spec.round.selection.strategy, task, spec.datasetRef))
                .or(() -> StrategyProblems.forInference("spec.round.selection.strategy", spec.round.selection.strategy, task,
                        spec.round.inference, "spec.round.inference"))
                .or(() -> LabelEfficiency.problem("spec.round.trainer", spec.round.trainer,
                        spec.pseudoLabels == null ? null : "spec.pseudoLabels", dataset.dataset()));
        if (unfit.isPresent()) {
            return failed(loop, status, Reason.InvalidSpec, unfit.get());
        }
        if (status.startTime == null) {
            status.startTime = report.now();
            IgnoredFields.of("spec.initialSelection.strategy", loop.getSpec().initialSelection.strategy, dataset.dataset())
                    .or(() -> IgnoredFields.of("spec.round.selection.strategy", loop.getSpec().round.selection.strategy, dataset.dataset()))
                    .ifPresent(m -> report.warn(loop, IgnoredFields.REASON, m));
        }
        if (status.labeledAtStart == null) {
            sharedDataset(loop).ifPresent(m -> report.warn(loop, Reason.SharedDataset, m));
            // fixed once: a later re-index of the Dataset counts the loop's own labels too
            status.labeledAtStart = dataset.dataset().getStatus().labeled == null ? 0 : dataset.dataset().getStatus().labeled;
        }
        long alreadyLabeled = status.labeledAtStart;
        LoopPlanner.Plan plan = LoopPlanner.plan(loop, children(context, TrainingRun.class, loop),
                children(context, SelectionRound.class, loop), alreadyLabeled, dataset.dataset().getStatus().samples);
        metrics.roundsCompleted(loop, newRounds(status.history, plan.history()));
        mirror(status, plan);
        metricReported(loop, status, plan);

        LoopPlanner.Decision decision = plan.decision();
        if (decision instanceof LoopPlanner.Create create) {
            if (Boolean.TRUE.equals(loop.getSpec().suspend)) {
                String message = "suspended before: " + create.message();
                status.stage = Reason.Suspended.name();
                report.set(loop, status, Conditions.READY, true, Reason.Suspended, message);
                report.set(loop, status, Conditions.PROGRESSING, false, Reason.Suspended, message);
                report.finish(loop, status, message);
                return UpdateControl.patchStatus(loop);
            }
            Optional<String> conflict = create(loop, create.child());
            if (conflict.isPresent()) {
                status.stage = "Done";
                return failed(loop, status, Reason.NameConflict, conflict.get());
            }
            return progressing(loop, status, create.stage(), create.message());
        }
        if (decision instanceof LoopPlanner.Wait wait) {
            return progressing(loop, status, wait.stage(), wait.message());
        }
        if (decision instanceof LoopPlanner.Stuck stuck) {
            status.stage = stuck.stage().name();
            report.set(loop, status, Conditions.READY, false, stuck.reason(), stuck.message());
            report.set(loop, status, Conditions.PROGRESSING, false, stuck.reason(), stuck.message());
            report.finish(loop, status, stuck.message());
            return UpdateControl.patchStatus(loop);
        }
        status.stage = "Done";
        if (decision instanceof LoopPlanner.Stop stop) {
            status.stopReason = stop.reason().name();
            report.set(loop, status, Conditions.READY, true, stop.reason(), stop.message());
            return RunOutcomes.succeeded(report, loop, status, stop.reason(), stop.message());
        }
        LoopPlanner.Fail fail = (LoopPlanner.Fail) decision;
        return failed(loop, status, fail.reason(), fail.message());
    }

    /** What the CRD schema cannot check of a loop's spec, its strategies against the catalog included. */
    private static Optional<String> problems(ActiveLearningLoopSpec spec) {
        return SpecProblems.of(spec)
                .or(() -> StrategyProblems.of("spec.initialSelection.strategy", spec.initialSelection.strategy, false))
                .or(() -> StrategyProblems.of("spec.round.selection.strategy", spec.round.selection.strategy, true));
    }

    /** A loop that fails is no longer Ready either, for the same reason. */
    private UpdateControl<ActiveLearningLoop> failed(ActiveLearningLoop loop, ActiveLearningLoopStatus status, Reason reason,
                                                     String message) {
        report.set(loop, status, Conditions.READY, false, reason, message);
        return RunOutcomes.failed(report, loop, status, reason, message);
    }

    /**
     * A finished loop whose spec changed (a GitOps team raises maxRounds in Git): when the new spec
     * leaves more to do after the children that exist, the loop resumes where it stopped (empty: go
     * on reconciling); otherwise the edit is refused with a condition and an Event.
     */
    private Optional<UpdateControl<ActiveLearningLoop>> resumeOrRefuse(ActiveLearningLoop loop, Context<ActiveLearningLoop> context,
                                                                       ActiveLearningLoopStatus status) {
        boolean succeeded = Conditions.isTrue(status, Conditions.SUCCEEDED);
        var end = Conditions.find(status, succeeded ? Conditions.SUCCEEDED : Conditions.FAILED).orElseThrow();
        String generation = "generation " + loop.getMetadata().getGeneration();
        Optional<String> problem = SpecProblems.name(loop).or(() -> problems(loop.getSpec()));
        if (problem.isPresent()) {
            // a failed loop reports its new problem as it would any other; a finished one keeps its result
            return succeeded ? Optional.of(RunOutcomes.editNotApplied(report, loop, status, generation + " is not applied: " + problem.get()))
                    : Optional.empty();
        }
        LoopPlanner.Decision next = LoopPlanner.plan(loop, children(context, TrainingRun.class, loop),
                children(context, SelectionRound.class, loop), status.labeledAtStart == null ? 0 : status.labeledAtStart,
                refs.get(Dataset.class, loop, loop.getSpec().datasetRef).map(d -> d.getStatus() == null ? null : d.getStatus().samples)
                        .orElse(null)).decision();
        if (next instanceof LoopPlanner.Stop || next instanceof LoopPlanner.Fail) {
            return Optional.of(RunOutcomes.editNotApplied(report, loop, status, succeeded
                    ? generation + " changes nothing for a loop that has finished (" + end.getReason() + ": " + end.getMessage()
                    + "); to resume it, change stopWhen so that it no longer holds (maxRounds, labelBudget, metric or plateau)"
                    : generation + " cannot apply to a failed loop (" + end.getReason() + ": " + end.getMessage()
                    + "); delete the loop and apply it again"));
        }
        String message = generation + " resumes the loop after " + end.getReason();
        report.set(loop, status, Conditions.SPEC_APPLIED, true, Reason.Resumed, message);
        for (String terminal : List.of(Conditions.SUCCEEDED, Conditions.FAILED)) {
            if (Conditions.find(status, terminal).isPresent()) {
                report.set(loop, status, terminal, false, Reason.Resumed, message);
            }
        }
        status.stopReason = null;
        status.completionTime = null;
        return Optional.empty();
    }

    private UpdateControl<ActiveLearningLoop> progressing(ActiveLearningLoop loop, ActiveLearningLoopStatus status, Reason stage,
                                                          String message) {
        status.stage = stage.name();
        report.set(loop, status, Conditions.READY, true, Reason.Running, "the loop is running");
        return RunOutcomes.progressing(report, loop, status, stage, message);
    }

    /**
     * A stop metric the trainer does not report, while maxRounds or labelBudget still end the loop:
     * MetricReported=False and a Warning, once; True again when the metric appears.
     */
    private void metricReported(ActiveLearningLoop loop, ActiveLearningLoopStatus status, LoopPlanner.Plan plan) {
        var current = Conditions.find(status, Conditions.METRIC_REPORTED);
        if (plan.metricNotReported() != null) {
            boolean told = current.filter(c -> "False".equals(c.getStatus()) && plan.metricNotReported().equals(c.getMessage())).isPresent();
            report.set(loop, status, Conditions.METRIC_REPORTED, false, Reason.MetricNotReported, plan.metricNotReported());
            if (!told) {
                report.warn(loop, Reason.MetricNotReported, plan.metricNotReported());
            }
        } else if (current.isPresent() && plan.lastMetric() != null) {
            report.set(loop, status, Conditions.METRIC_REPORTED, true, Reason.MetricReported, plan.metricName() + " is reported");
        }
    }

    /** Rounds the plan's history holds past the newest one status recorded. */
    static long newRounds(List<ActiveLearningLoopStatus.RoundEntry> before, List<ActiveLearningLoopStatus.RoundEntry> after) {
        int newest = before == null ? 0 : before.stream().mapToInt(h -> h.round).max().orElse(0);
        return after.stream().filter(h -> h.round > newest).count();
    }

    private static void mirror(ActiveLearningLoopStatus status, LoopPlanner.Plan plan) {
        status.round = plan.round();
        status.labeled = plan.labeled();
        status.requested = plan.requested();
        status.lastMetric = plan.lastMetric();
        status.metricName = plan.metricName();
        status.trainingRun = plan.trainingRun();
        status.selectionRound = plan.selectionRound();
        status.history = plan.history();
    }

    /**
     * Creating a child that already exists is fine when it is ours (the informer had not caught up
     * yet); an object of the same name that someone else made is a conflict the loop cannot pass.
     */
    private Optional<String> create(ActiveLearningLoop loop, HasMetadata child) {
        try {
            client.resource(child).create();
            return Optional.empty();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        HasMetadata existing = client.resource(child).get();
        boolean ours = existing != null && existing.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> o.getUid().equals(loop.getMetadata().getUid()));
        return ours ? Optional.empty() : Optional.of(child.getKind() + " '" + child.getMetadata().getName()
                + "' already exists and does not belong to this loop: rename the loop or delete that object");
    }

    private static <R extends HasMetadata> Map<String, R> children(Context<ActiveLearningLoop> context, Class<R> type,
                                                                   ActiveLearningLoop loop) {
        return context.getSecondaryResources(type).stream()
                .filter(c -> c.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> o.getUid().equals(loop.getMetadata().getUid())))
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), Function.identity(), (a, b) -> a));
    }

    /**
     * Labels belong to the Dataset, so loops on one Dataset share them on purpose (nobody labels a sample twice),
     * and each trains on all of them. Said once, as the loop starts, when another loop is still running there.
     */
    private Optional<String> sharedDataset(ActiveLearningLoop loop) {
        String ns = loop.getMetadata().getNamespace();
        List<String> others = client.resources(ActiveLearningLoop.class).inNamespace(ns).list().getItems().stream()
                .filter(l -> !l.getMetadata().getName().equals(loop.getMetadata().getName()))
                .filter(l -> loop.getSpec().datasetRef.equals(l.getSpec().datasetRef))
                .filter(l -> l.getStatus() == null || !List.of("Succeeded", "Failed").contains(l.getStatus().phase))
                .map(l -> l.getMetadata().getName()).sorted().toList();
        return others.isEmpty() ? Optional.empty() : Optional.of("Dataset '" + loop.getSpec().datasetRef + "' is also used by "
                + (others.size() == 1 ? "loop '" + others.get(0) + "'" : "loops " + others) + ": loops on one Dataset share its labels,"
                + " so each trains on the other's picks too (history shows what each round trained on); to compare loops, give"
                + " each its own Dataset, as winnow bench does");
    }
}
