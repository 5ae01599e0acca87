package dev.winnow.operator.engine;

import java.util.Arrays;
import java.util.List;

/**
 * The shapes of an engine's resource Winnow can build, newest first for each engine. Which one a
 * cluster takes is what its CRD declares: the resource is created with strict field validation, so
 * a CRD that does not know a schema's marker field refuses it by name, and the next shape is tried.
 * Kubeflow Trainer renamed its pod overrides twice (v2.0 podSpecOverrides, v2.1 podTemplateOverrides,
 * v2.2 runtimePatches) and added activeDeadlineSeconds in v2.2.
 */
public enum EngineSchema {
    PYTORCH_JOB_V1(EngineApi.PYTORCH_JOB, "spec.pytorchReplicaSpecs", "the Kubeflow training operator's PyTorchJob kubeflow.org/v1 (v1.9)"),
    TRAIN_JOB_RUNTIME_PATCHES(EngineApi.TRAIN_JOB, "spec.runtimePatches", "Kubeflow Trainer v2.2 or later (runtimePatches)"),
    TRAIN_JOB_POD_TEMPLATE_OVERRIDES(EngineApi.TRAIN_JOB, "spec.podTemplateOverrides", "Kubeflow Trainer v2.1 (podTemplateOverrides)");

    /** For messages: which versions Winnow builds for and tests. */
    public static final String SUPPORTED = "Winnow supports PyTorchJob of the Kubeflow training operator v1.9 and TrainJob of Kubeflow Trainer"
            + " v2.1 to v2.3";

    private final EngineApi api;
    private final String marker;
    private final String version;

    EngineSchema(EngineApi api, String marker, String version) {
        this.api = api;
        this.marker = marker;
        this.version = version;
    }

    /** The shapes to try for an engine, newest first. */
    static List<EngineSchema> of(EngineApi api) {
        return Arrays.stream(values()).filter(s -> s.api == api).toList();
    }

    EngineApi api() {
        return api;
    }

    /** The field that only this shape has: a CRD that refuses it by name is of another version. */
    String marker() {
        return marker;
    }

    /** "Kubeflow Trainer v2.1 (podTemplateOverrides)". */
    String version() {
        return version;
    }

    /** Whether the shape can carry the step's own deadline (TrainJob: from Trainer v2.2). */
    boolean hasDeadline() {
        return this != TRAIN_JOB_POD_TEMPLATE_OVERRIDES;
    }
}
