package dev.winnow.operator;

import dev.winnow.api.v1alpha1.Backbone;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.TrainerTemplate;
import dev.winnow.contract.Task;
import dev.winnow.operator.status.Reason;

import java.util.Optional;

/**
 * The options that get more from each label, checked against the Dataset they train on: a backbone from the
 * Dataset's embedder needs one, Winnow's own detector takes no backbone, and pseudo-labels are class predictions,
 * which a detection Dataset has not.
 * The schema cannot see the Dataset, so these are the operator's checks, before any Job.
 */
final class LabelEfficiency {
    private LabelEfficiency() {
    }

    /**
     * @param trainerPath      where the trainer is set, e.g. spec.round.trainer
     * @param pseudoLabelsPath where pseudo-labels are asked for, or null when they are not
     */
    static Optional<String> problem(String trainerPath, TrainerTemplate trainer, String pseudoLabelsPath, Dataset dataset) {
        String name = dataset.getMetadata().getName();
        Backbone backbone = trainer == null ? null : trainer.backbone;
        if (backbone != null && backbone.fromEmbedder() && dataset.getSpec().embedder == null) {
            return Optional.of(trainerPath + ".backbone.fromEmbedder is set, but Dataset '" + name + "' has no spec.embedder to"
                    + " train an encoder: add spec.embedder: {} to the Dataset, or give " + trainerPath + ".backbone.uri");
        }
        Task task = dataset.getSpec().task == null ? Task.Classification : dataset.getSpec().task;
        if (backbone != null && task != Task.Classification && (trainer.image == null || trainer.image.isBlank())) {
            // WINNOW_BACKBONE is the step contract's; Winnow's own detector would ignore it, and silently is worse
            return Optional.of(trainerPath + ".backbone: Winnow's built-in detector does not start from a backbone;"
                    + " Dataset '" + name + "' is " + task + ". Remove it, or set " + trainerPath + ".image to a trainer"
                    + " of your own that reads WINNOW_BACKBONE");
        }
        if (pseudoLabelsPath != null && task != Task.Classification) {
            return Optional.of(pseudoLabelsPath + ": pseudo-labels are class predictions, for Classification datasets only;"
                    + " Dataset '" + name + "' is " + task);
        }
        return Optional.empty();
    }

    /** The backbone's URI for WINNOW_BACKBONE (null: none), or why the run waits (or fails) first. */
    record BackboneLookup(String uri, Reason reason, String message) {
        boolean found() {
            return reason == null;
        }
    }

    static BackboneLookup backbone(String trainerPath, TrainerTemplate trainer, Dataset dataset) {
        Backbone backbone = trainer == null ? null : trainer.backbone;
        if (backbone == null || !backbone.fromEmbedder()) {
            return new BackboneLookup(backbone == null ? null : backbone.uri, null, null);
        }
        String name = dataset.getMetadata().getName();
        if (DatasetEmbeddings.ready(dataset).isEmpty()) {
            Reason why = DatasetEmbeddings.notReadyReason(dataset);
            return new BackboneLookup(null, why, why == Reason.EmbedFailed
                    ? "Dataset '" + name + "' could not train its encoder (see its Embedded condition), which "
                    + trainerPath + ".backbone.fromEmbedder starts from"
                    : "waiting for Dataset '" + name + "' to train its encoder (condition Embedded), which "
                    + trainerPath + ".backbone.fromEmbedder starts from");
        }
        String encoder = dataset.getStatus().embedding.encoder;
        if (encoder == null) {
            return new BackboneLookup(null, Reason.InvalidSpec, "Dataset '" + name + "' has embeddings but no encoder to start from"
                    + " (an embedder image of your own reports embeddings only): give " + trainerPath + ".backbone.uri instead");
        }
        return new BackboneLookup(encoder, null, null);
    }
}
