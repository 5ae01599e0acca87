package dev.winnow.operator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.DatasetStatus;
import dev.winnow.api.v1alpha1.EmbedderSpec;
import dev.winnow.contract.ArtifactLayout;
import dev.winnow.contract.Results;
import dev.winnow.contract.StepName;
import dev.winnow.contract.Variables;
import dev.winnow.operator.job.StepJob;
import dev.winnow.operator.job.StepJobBuilder;
import dev.winnow.operator.job.StepOutcome;
import dev.winnow.operator.job.StepRunner;
import dev.winnow.operator.status.Conditions;
import dev.winnow.operator.status.Reason;
import dev.winnow.operator.status.StatusReporter;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

import java.util.Locale;
import java.util.Optional;

/**
 * A Dataset's embed step: after each index of the pool (the Job is named after the index's suffix, so a new
 * generation or a reindex embeds again), the self-supervised embeddings of {@code spec.embedder}, their figures
 * in {@code status.embedding} and the condition Embedded. A failed embed leaves the Dataset Ready (its counts
 * are known) with Embedded=False, EmbedFailed.
 */
final class DatasetEmbeddings {
    private final StepRunner steps;
    private final StatusReporter report;

    DatasetEmbeddings(StepRunner steps, StatusReporter report) {
        this.steps = steps;
        this.report = report;
    }

    /** embed-g3 for index-g3: one embed per index. */
    static String suffix(String indexSuffix) {
        return "embed" + indexSuffix.substring("index".length());
    }

    /** Nothing left to do for this index: no embedder and no old figures, or the embed Job of this index has ended. */
    static boolean settled(Dataset dataset, String indexSuffix) {
        DatasetStatus status = dataset.getStatus();
        if (dataset.getSpec().embedder == null) {
            return status.embedding == null;
        }
        return status.embedding != null && StepJobBuilder.jobName(dataset, suffix(indexSuffix)).equals(status.embedding.job)
                && Conditions.find(status, Conditions.EMBEDDED).map(c -> !Reason.Embedding.name().equals(c.getReason())).orElse(false);
    }

    /**
     * The embeddings a model-free pick on this Dataset should read: present when they are written for the
     * current spec; empty with the reason to wait (or the failure) otherwise. Only for a Dataset with an embedder.
     */
    static Optional<String> ready(Dataset dataset) {
        DatasetStatus status = dataset.getStatus();
        boolean current = status != null && status.observedGeneration != null
                && status.observedGeneration.equals(dataset.getMetadata().getGeneration());
        return current && Conditions.isTrue(status, Conditions.EMBEDDED) && status.embedding != null && status.embedding.uri != null
                ? Optional.of(status.embedding.uri) : Optional.empty();
    }

    /** Why a model-free pick cannot have the embeddings yet: the embed step failed, or it has not finished. */
    static Reason notReadyReason(Dataset dataset) {
        return dataset.getStatus() != null && Conditions.find(dataset.getStatus(), Conditions.EMBEDDED)
                .map(c -> Reason.EmbedFailed.name().equals(c.getReason())).orElse(false) ? Reason.EmbedFailed : Reason.WaitingForEmbeddings;
    }

    UpdateControl<Dataset> advance(Dataset dataset, Context<Dataset> context, DatasetStatus status, String indexSuffix) {
        EmbedderSpec embedder = dataset.getSpec().embedder;
        String name = dataset.getMetadata().getName();
        StepOutcome outcome = steps.run(context, StepJob.of(dataset, StepName.EMBED, dataset)
                .jobSuffix(suffix(indexSuffix))
                .template(embedder)
                .env(Variables.EMBEDDINGS_OUT, new ArtifactLayout(dataset.getSpec().artifacts.uri).embeddings(name))
                .env(Variables.EPOCHS, embedder.epochs)
                .env(Variables.EMBED_SAMPLE_SIZE, embedder.sampleSize)
                .env(Variables.EMBED_DIMS, embedder.dims)
                .env(Variables.SEED, embedder.seed)
                .build());
        if (status.embedding == null || !outcome.jobName().equals(status.embedding.job)) {
            status.embedding = new DatasetStatus.EmbeddingStatus(); // figures of an older index no longer hold
            status.embedding.job = outcome.jobName();
        }
        switch (outcome.state()) {
            case STARTED, STARTING, RUNNING, SETTLING, STUCK -> {
                String message = "the embed step trains the self-supervised encoder and embeds the pool";
                report.set(dataset, status, Conditions.EMBEDDED, false, Reason.Embedding, message);
                return RunOutcomes.underWay(report, dataset, status, Reason.Embedding, outcome, message);
            }
            case SUCCEEDED -> {
                apply(status.embedding, outcome.result(), new ArtifactLayout(dataset.getSpec().artifacts.uri).embeddings(name));
                String message = summary(status.embedding);
                report.set(dataset, status, Conditions.EMBEDDED, true, Reason.Embedded, message);
                report.set(dataset, status, Conditions.PROGRESSING, false, Reason.Embedded, message);
                report.finish(dataset, status, status.samples + " samples, " + status.labeled + " labeled; " + message);
            }
            case FAILED -> {
                report.set(dataset, status, Conditions.EMBEDDED, false, Reason.EmbedFailed, outcome.message());
                report.set(dataset, status, Conditions.PROGRESSING, false, Reason.EmbedFailed, outcome.message());
                report.finish(dataset, status, outcome.message());
            }
        }
        return UpdateControl.patchStatus(dataset);
    }

    /** The embedder was removed from the spec: its figures and condition go too. */
    void forget(DatasetStatus status) {
        status.embedding = null;
        if (status.conditions != null) {
            status.conditions.removeIf(c -> Conditions.EMBEDDED.equals(c.getType()));
        }
    }

    /** "60000 samples embedded in 64 dimensions; contrastive loss 5.31 -> 4.20 over 10 epochs, 95 s", from what the step reported. */
    static String summary(DatasetStatus.EmbeddingStatus e) {
        StringBuilder s = new StringBuilder(e.count + " samples embedded in " + e.dims + " dimensions");
        if (e.firstLoss != null && e.loss != null) {
            s.append(String.format(Locale.ROOT, "; contrastive loss %.3f -> %.3f", e.firstLoss, e.loss));
        }
        if (e.epochs != null) {
            s.append(" over ").append(e.epochs).append(" epochs");
        }
        if (e.seconds != null) {
            s.append(String.format(Locale.ROOT, ", %.0f s", e.seconds));
        }
        return s.toString();
    }

    /** A user's image may report less than Winnow's: the location defaults to the layout's. */
    private void apply(DatasetStatus.EmbeddingStatus e, JsonNode result, String defaultUri) {
        e.uri = result.path(Results.EMBEDDINGS).asText(defaultUri);
        e.encoder = result.hasNonNull(Results.ENCODER) ? result.get(Results.ENCODER).asText() : null;
        e.count = result.path(Results.COUNT).asLong(0);
        e.dims = result.path(Results.DIMS).asInt(0);
        e.epochs = result.hasNonNull(Results.EPOCHS) ? result.get(Results.EPOCHS).asInt() : null;
        e.trainedOn = result.hasNonNull(Results.TRAINED_ON) ? result.get(Results.TRAINED_ON).asLong() : null;
        e.firstLoss = result.hasNonNull(Results.FIRST_LOSS) ? result.get(Results.FIRST_LOSS).asDouble() : null;
        e.loss = result.hasNonNull(Results.LOSS) ? result.get(Results.LOSS).asDouble() : null;
        e.seconds = result.hasNonNull(Results.SECONDS) ? result.get(Results.SECONDS).asDouble() : null;
        e.embeddedAt = report.now();
    }
}
