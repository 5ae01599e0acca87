package dev.winnow.operator;

import dev.winnow.api.v1alpha1.ActiveLearningLoopSpec;
import dev.winnow.api.v1alpha1.DatasetSpec;
import dev.winnow.api.v1alpha1.SelectionRoundSpec;
import dev.winnow.api.v1alpha1.TrainerTemplate;
import dev.winnow.api.v1alpha1.TrainingEngine;
import dev.winnow.api.v1alpha1.TrainingRunSpec;
import dev.winnow.api.v1alpha1.Validation;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the CRD schema cannot catch, or what a cluster without CEL lets through: the operator checks
 * again and reports the first problem in a condition instead of failing in a step or a stack trace.
 */
final class SpecProblems {
    private static final Pattern URI = Pattern.compile(Validation.URI_PATTERN);
    private static final Pattern NAME = Pattern.compile(Validation.NAME_PATTERN);

    private SpecProblems() {
    }

    static Optional<String> of(DatasetSpec spec) {
        if (spec == null) {
            return Optional.of("spec is missing");
        }
        if (spec.classes == null || spec.classes.isEmpty()) {
            return Optional.of("spec.classes must name at least one class");
        }
        Optional<String> classes = classes(spec.classes);
        if (classes.isPresent()) {
            return classes;
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
                .or(() -> uri("spec.artifacts.uri", spec.artifacts.uri))
                .or(() -> storage(spec.storage))
                .or(() -> TemplateProblems.of("spec.indexer", spec.indexer));
    }

    /**
     * The steps get the classes as one comma-separated variable (WINNOW_CLASSES) and match labels to
     * them trimmed and case-insensitively, so a comma, surrounding blanks or a second spelling of a
     * name would change which class a label means; refused here, before the index step runs.
     */
    static Optional<String> classes(List<String> classes) {
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            String name = classes.get(i);
            String field = "spec.classes[" + i + "]";
            if (name == null || name.isBlank()) {
                return Optional.of(field + " is empty: every class needs a name");
            }
            if (name.contains(",")) {
                return Optional.of(field + ": '" + name + "' contains a comma; the steps receive the classes comma-separated "
                        + "(WINNOW_CLASSES), so name it without one, e.g. '" + name.replace(",", "").replaceAll("\\s+", " ").strip().replace(" ", "-") + "'");
            }
            if (!name.equals(name.strip())) {
                return Optional.of(field + ": '" + name + "' begins or ends with blanks; labels are matched to classes trimmed");
            }
            Integer before = seen.putIfAbsent(name.toLowerCase(java.util.Locale.ROOT), i);
            if (before != null) {
                return Optional.of(field + ": '" + name + "' is spec.classes[" + before + "] again ('" + classes.get(before)
                        + "'); labels are matched to classes case-insensitively, so each name must differ in more than case");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> storage(DatasetSpec.Storage storage) {
        if (storage == null) {
            return Optional.empty();
        }
        if (storage.s3 != null) {
            Optional<String> secret = TemplateProblems.name("spec.storage.s3.credentialsSecret", storage.s3.credentialsSecret);
            if (secret.isPresent()) {
                return secret;
            }
        }
        List<DatasetSpec.Volume> volumes = storage.volumes == null ? List.of() : storage.volumes;
        for (int i = 0; i < volumes.size(); i++) {
            DatasetSpec.Volume v = volumes.get(i);
            String field = "spec.storage.volumes[" + i + "]";
            if (v == null || v.name == null || !NAME.matcher(v.name).matches() || v.name.length() > 63) {
                return Optional.of(field + ".name: '" + (v == null ? null : v.name) + "' is not a volume name (lower-case letters, digits and '-', at most 63)");
            }
            if (v.mountPath == null || !v.mountPath.startsWith("/")) {
                return Optional.of(field + ".mountPath: '" + v.mountPath + "' is not an absolute path");
            }
            Optional<String> claim = v.claimName == null ? Optional.of(field + ".claimName is required")
                    : TemplateProblems.name(field + ".claimName", v.claimName);
            if (claim.isPresent()) {
                return claim;
            }
        }
        return Optional.empty();
    }

    static Optional<String> of(TrainingRunSpec spec) {
        if (spec == null || spec.datasetRef == null || spec.datasetRef.isBlank()) {
            return Optional.of("spec.datasetRef is required");
        }
        if (spec.resumeFrom != null && (spec.resumeFrom.trainingRun == null) == (spec.resumeFrom.uri == null)) {
            return Optional.of("spec.resumeFrom: give trainingRun or uri, exactly one");
        }
        if (spec.trainOn != null && spec.trainOn.tags != null && Boolean.TRUE.equals(spec.trainOn.allLabeled)) {
            return Optional.of("spec.trainOn: give tags or allLabeled, not both");
        }
        if (spec.trainOn != null && spec.trainOn.tags != null && spec.trainOn.tags.isEmpty()) {
            return Optional.of("spec.trainOn.tags is empty, which names no samples to train on: list at least one tag, or set allLabeled: true");
        }
        if (spec.resumeFrom != null && spec.resumeFrom.uri != null) {
            Optional<String> problem = uri("spec.resumeFrom.uri", spec.resumeFrom.uri);
            if (problem.isPresent()) {
                return problem;
            }
        }
        if (spec.pseudoLabels != null) {
            Optional<String> problem = uri("spec.pseudoLabels.predictions", spec.pseudoLabels.predictions)
                    .or(() -> threshold("spec.pseudoLabels.threshold", spec.pseudoLabels.threshold));
            if (problem.isPresent()) {
                return problem;
            }
        }
        return trainer("spec.trainer", spec.trainer)
                .or(() -> TemplateProblems.of("spec.inference", spec.inference));
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
        return TemplateProblems.of("spec.selector", spec.selector);
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
        if (spec.pseudoLabels != null) {
            Optional<String> problem = spec.pseudoLabels.threshold == null ? Optional.empty()
                    : threshold("spec.pseudoLabels.threshold", spec.pseudoLabels.threshold);
            if (problem.isPresent()) {
                return problem;
            }
            Double decay = spec.pseudoLabels.decay;
            if (decay != null && !(decay >= 0 && decay <= 1)) {
                return Optional.of("spec.pseudoLabels.decay is " + decay + "; it must be in [0, 1]: how much the threshold rises each round");
            }
        }
        return trainer("spec.round.trainer", spec.round.trainer)
                .or(() -> TemplateProblems.of("spec.round.inference", spec.round.inference))
                .or(() -> TemplateProblems.of("spec.round.selector", spec.round.selector));
    }

    /** The trainer's container, then its engine: the CRDs' CEL rules say the same at apply time. */
    private static Optional<String> trainer(String path, TrainerTemplate t) {
        Optional<String> template = TemplateProblems.of(path, t);
        if (template.isPresent() || t == null) {
            return template;
        }
        TrainingEngine engine = t.effectiveEngine();
        if (engine != TrainingEngine.Job && (t.image == null || t.image.isBlank())) {
            return Optional.of(path + ".engine " + engine + " needs " + path + ".image: Winnow's built-in trainer runs on one node"
                    + " only; give a distributed training image (torchrun, see docs/step-contract.md) or use engine Job");
        }
        if (engine == TrainingEngine.Job && t.effectiveNodes() > 1) {
            return Optional.of(path + ".nodes is " + t.nodes + ", but a Job trains on one node: use engine PyTorchJob or TrainJob");
        }
        if (t.nodes != null && t.nodes < 1 || t.processesPerNode != null && t.processesPerNode < 1) {
            return Optional.of(path + ".nodes and " + path + ".processesPerNode must be at least 1");
        }
        if (t.backbone != null && (t.backbone.uri != null) == t.backbone.fromEmbedder()) {
            return Optional.of(path + ".backbone: give uri or fromEmbedder: true, exactly one");
        }
        if (t.backbone != null && t.backbone.uri != null) {
            Optional<String> problem = uri(path + ".backbone.uri", t.backbone.uri);
            if (problem.isPresent()) {
                return problem;
            }
        }
        if (t.runtimeRef != null && engine != TrainingEngine.TrainJob) {
            return Optional.of(path + ".runtimeRef is for engine TrainJob only, not " + engine);
        }
        return t.runtimeRef == null ? Optional.empty() : TemplateProblems.name(path + ".runtimeRef.name", t.runtimeRef.name);
    }

    /** The CRDs' maxLength on metadata.name says the same at apply time; this catches CRDs applied without it. */
    static Optional<String> name(io.fabric8.kubernetes.api.model.HasMetadata resource) {
        String name = resource.getMetadata().getName();
        return name.length() <= Validation.MAX_NAME ? Optional.empty()
                : Optional.of("metadata.name is " + name.length() + " characters; it may have at most " + Validation.MAX_NAME
                        + " characters: Winnow writes it into labels of its Jobs and children");
    }

    /** A least top-class probability: (0, 1], where 1 keeps only certain predictions and 0 would keep every one. */
    private static Optional<String> threshold(String field, Double value) {
        if (value == null || !(value > 0 && value <= 1)) {
            return Optional.of(field + " is " + value + "; it must be in (0, 1]: the least top-class probability a prediction"
                    + " needs to become a pseudo-label");
        }
        return Optional.empty();
    }

    private static Optional<String> uri(String field, String value) {
        if (value == null || !URI.matcher(value).matches()) {
            return Optional.of(field + " must be an s3://bucket/... or file:///... URI, got '" + value + "'");
        }
        return Optional.empty();
    }
}
