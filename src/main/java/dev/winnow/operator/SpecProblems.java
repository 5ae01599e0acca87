package dev.winnow.operator;

import dev.winnow.api.v1alpha1.ActiveLearningLoopSpec;
import dev.winnow.api.v1alpha1.DatasetSpec;
import dev.winnow.api.v1alpha1.SelectionRoundSpec;
import dev.winnow.api.v1alpha1.TrainingRunSpec;
import dev.winnow.api.v1alpha1.Validation;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the CRD schema cannot catch, or what a cluster without CEL lets through: the operator checks
 * again and reports the first problem in a condition instead of failing in a step or a stack trace.
 */
final class SpecProblems {
    private static final Pattern URI = Pattern.compile(Validation.URI_PATTERN);

    private SpecProblems() {
    }

    static Optional<String> of(DatasetSpec spec) {
        if (spec == null) {
            return Optional.of("spec is missing");
        }
        if (spec.classes == null || spec.classes.isEmpty()) {
            return Optional.of("spec.classes must name at least one class");
        }
        if (spec.source == null || spec.source.format == null) {
            return Optional.of("spec.source needs uri and format");
        }
        if (spec.labels == null || spec.labels.format == null) {
            return Optional.of("spec.labels needs uri and format");
        }
        if (spec.artifacts == null) {
            return Optional.of("spec.artifacts.uri is required");
        }
        return uri("spec.source.uri", spec.source.uri)
                .or(() -> uri("spec.labels.uri", spec.labels.uri))
                .or(() -> uri("spec.artifacts.uri", spec.artifacts.uri));
    }

    static Optional<String> of(TrainingRunSpec spec) {
        if (spec == null || spec.datasetRef == null || spec.datasetRef.isBlank()) {
            return Optional.of("spec.datasetRef is required");
        }
        if (spec.resumeFrom != null && (spec.resumeFrom.trainingRun == null) == (spec.resumeFrom.uri == null)) {
            return Optional.of("spec.resumeFrom: give trainingRun or uri, exactly one");
        }
        if (spec.resumeFrom != null && spec.resumeFrom.uri != null) {
            return uri("spec.resumeFrom.uri", spec.resumeFrom.uri);
        }
        return Optional.empty();
    }

    static Optional<String> of(SelectionRoundSpec spec) {
        if (spec == null || spec.datasetRef == null || spec.datasetRef.isBlank()) {
            return Optional.of("spec.datasetRef is required");
        }
        if (spec.strategy == null || spec.strategy.name == null) {
            return Optional.of("spec.strategy.name is required");
        }
        if ((spec.count == null) == (spec.total == null)) {
            return Optional.of("give spec.count (how many to add) or spec.total (size after adding), exactly one");
        }
        if ((spec.count != null && spec.count < 1) || (spec.total != null && spec.total < 1)) {
            return Optional.of("spec.count and spec.total must be at least 1");
        }
        return Optional.empty();
    }

    static Optional<String> of(ActiveLearningLoopSpec spec) {
        if (spec == null || spec.datasetRef == null || spec.datasetRef.isBlank()) {
            return Optional.of("spec.datasetRef is required");
        }
        if (spec.initialSelection == null || spec.initialSelection.strategy == null || spec.initialSelection.count == null) {
            return Optional.of("spec.initialSelection needs strategy and count");
        }
        if (spec.round == null || spec.round.selection == null || spec.round.selection.strategy == null
                || spec.round.selection.count == null) {
            return Optional.of("spec.round.selection needs strategy and count");
        }
        var stop = spec.stopWhen;
        if (stop == null || (stop.maxRounds == null && stop.labelBudget == null && stop.metric == null && stop.plateau == null)) {
            return Optional.of("spec.stopWhen needs at least one of maxRounds, labelBudget, metric, plateau");
        }
        if (stop.metric != null && stop.metric.atLeast == null) {
            return Optional.of("spec.stopWhen.metric.atLeast is required");
        }
        if (stop.plateau != null && (stop.plateau.rounds == null || stop.plateau.minDelta == null)) {
            return Optional.of("spec.stopWhen.plateau needs rounds and minDelta");
        }
        return Optional.empty();
    }

    /** The CRDs' CEL rule says the same at apply time; this catches clusters that skip CEL. */
    static Optional<String> name(io.fabric8.kubernetes.api.model.HasMetadata resource) {
        String name = resource.getMetadata().getName();
        return name.length() <= Validation.MAX_NAME ? Optional.empty()
                : Optional.of("metadata.name is " + name.length() + " characters; " + Validation.NAME_LENGTH_MESSAGE);
    }

    private static Optional<String> uri(String field, String value) {
        if (value == null || !URI.matcher(value).matches()) {
            return Optional.of(field + " must be an s3://bucket/... or file:///... URI, got '" + value + "'");
        }
        return Optional.empty();
    }
}
