package dev.winnow.operator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.DatasetStatus;
import dev.winnow.contract.ArtifactLayout;
import dev.winnow.contract.Results;
import dev.winnow.contract.StepName;
import dev.winnow.operator.job.StepJob;
import dev.winnow.operator.job.StepJobBuilder;
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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Indexes a Dataset and is Ready when its counts and tags are known; with {@code spec.embedder} it then runs the
 * embed step ({@link DatasetEmbeddings}, condition Embedded). It indexes once per spec
 * generation, and again whenever the {@value #REINDEX} annotation takes a new value (labels arrive
 * outside the operator's sight, so people or a CronJob say when to count again).
 */
@ControllerConfiguration(name = "dataset", generationAwareEventProcessing = false)
public class DatasetReconciler implements Reconciler<Dataset> {
    public static final String REINDEX = "winnow.dev/reindex";

    private final StepRunner steps;
    private final StatusReporter report;
    private final References refs;
    private final StatusWriter writer;
    private final DatasetEmbeddings embeddings;

    DatasetReconciler(StepRunner steps, StatusReporter report, References refs, StatusWriter writer) {
        this.steps = steps;
        this.embeddings = new DatasetEmbeddings(steps, report);
        this.report = report;
        this.refs = refs;
        this.writer = writer;
    }

    @Override
    public List<EventSource<?, Dataset>> prepareEventSources(EventSourceContext<Dataset> context) {
        return EventSources.withSteps(context);
    }

    /** An exception becomes status ({@link ReconcileErrors}); an index Job the API server refuses leaves it not Ready until the spec changes. */
    @Override
    public ErrorStatusUpdateControl<Dataset> updateErrorStatus(Dataset dataset, Context<Dataset> context, Exception e) {
        DatasetStatus status = dataset.getStatus() == null ? new DatasetStatus() : dataset.getStatus();
        dataset.setStatus(status);
        return ReconcileErrors.toStatus(report, refs, dataset, context, status, e, (reason, message) -> {
            report.set(dataset, status, Conditions.READY, false, reason, message);
            report.set(dataset, status, Conditions.PROGRESSING, false, reason, message);
            report.finish(dataset, status, message);
        });
    }

    @Override
    public UpdateControl<Dataset> reconcile(Dataset dataset, Context<Dataset> context) {
        return writer.reconcile(dataset, context, this::advance);
    }

    private UpdateControl<Dataset> advance(Dataset dataset, Context<Dataset> context) {
        DatasetStatus status = dataset.getStatus() == null ? new DatasetStatus() : dataset.getStatus();
        dataset.setStatus(status);
        long generation = dataset.getMetadata().getGeneration() == null ? 0 : dataset.getMetadata().getGeneration();

        Optional<String> problem = SpecProblems.name(dataset).or(() -> SpecProblems.of(dataset.getSpec()));
        if (problem.isPresent()) {
            report.set(dataset, status, Conditions.READY, false, Reason.InvalidSpec, problem.get());
            report.set(dataset, status, Conditions.PROGRESSING, false, Reason.InvalidSpec, problem.get());
            report.finish(dataset, status, problem.get());
            return UpdateControl.patchStatus(dataset);
        }
        String suffix = indexSuffix(dataset, generation);
        if (Conditions.isTrue(status, Conditions.READY) && !Conditions.isTrue(status, Conditions.PROGRESSING)
                && status.observedGeneration != null && status.observedGeneration == generation
                && StepJobBuilder.jobName(dataset, suffix).equals(status.indexJob) && DatasetEmbeddings.settled(dataset, suffix)) {
            return UpdateControl.noUpdate();
        }

        StepJob index = StepJob.of(dataset, StepName.INDEX, dataset)
                .jobSuffix(suffix)
                .template(dataset.getSpec().indexer)
                .build();
        StepOutcome outcome = steps.run(context, index);
        status.indexJob = outcome.jobName();
        switch (outcome.state()) {
            case STARTED, STARTING, RUNNING, SETTLING, STUCK -> {
                if (!Conditions.isTrue(status, Conditions.READY)) {
                    report.set(dataset, status, Conditions.READY, false, Reason.Indexing, "waiting for the index step");
                }
                return RunOutcomes.underWay(report, dataset, status, Reason.Indexing, outcome);
            }
            case SUCCEEDED -> {
                apply(status, outcome.result(), new ArtifactLayout(dataset.getSpec().artifacts.uri), dataset.getMetadata().getName());
                String message = status.samples + " samples, " + status.labeled + " labeled";
                report.set(dataset, status, Conditions.READY, true, Reason.Indexed, message);
                if (dataset.getSpec().embedder != null) {
                    // the counts are known (Ready); the embeddings follow, for this index of the pool
                    return embeddings.advance(dataset, context, status, suffix);
                }
                embeddings.forget(status);
                report.set(dataset, status, Conditions.PROGRESSING, false, Reason.Indexed, message);
                report.finish(dataset, status, message);
            }
            case FAILED -> {
                report.set(dataset, status, Conditions.READY, false, Reason.IndexFailed, outcome.message());
                report.set(dataset, status, Conditions.PROGRESSING, false, Reason.IndexFailed, outcome.message());
                report.finish(dataset, status, outcome.message());
            }
        }
        return UpdateControl.patchStatus(dataset);
    }

    /** index-g<generation>, plus a short hash of the reindex annotation when there is one. */
    static String indexSuffix(Dataset dataset, long generation) {
        var annotations = dataset.getMetadata().getAnnotations();
        String token = annotations == null ? null : annotations.get(REINDEX);
        if (token == null || token.isBlank()) {
            return "index-g" + generation;
        }
        return "index-g" + generation + "-" + Integer.toHexString(token.hashCode() & 0xfffff);
    }

    private void apply(DatasetStatus status, JsonNode result, ArtifactLayout layout, String name) {
        status.samples = result.path(Results.SAMPLES).asLong(0);
        status.labeled = result.path(Results.LABELED).asLong(0);
        var histogram = new LinkedHashMap<String, Long>();
        result.path(Results.CLASS_HISTOGRAM).fields().forEachRemaining(e -> histogram.put(e.getKey(), e.getValue().asLong()));
        status.classHistogram = histogram.isEmpty() ? null : histogram;
        // with many classes only the file has the histogram: status points to it
        status.classHistogramUri = result.path("classHistogramUri").asText(null);
        status.classHistogramSha256 = result.path("classHistogramSha256").asText(null);
        List<DatasetStatus.TagStatus> tags = new ArrayList<>();
        for (JsonNode t : result.path(Results.TAGS)) {
            if (tags.size() == DatasetStatus.MAX_TAGS) {
                break;
            }
            var tag = new DatasetStatus.TagStatus();
            tag.name = t.path(Results.NAME).asText();
            tag.count = t.path(Results.COUNT).asLong();
            tag.uri = t.path(Results.URI).asText(null);
            tag.sha256 = t.path(Results.SHA256).asText(null);
            tags.add(tag);
        }
        status.tags = tags.isEmpty() ? null : tags;
        status.manifest = result.path(Results.MANIFEST).asText(layout.manifest(name));
        status.indexedAt = report.now();
    }
}
