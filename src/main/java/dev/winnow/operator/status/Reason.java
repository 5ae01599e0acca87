package dev.winnow.operator.status;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every reason Winnow writes into a condition, with what it means for people: progress (work under
 * way, or done), a wait (held until something else happens), or a problem (someone must fix
 * something). Events, the phase and a loop's view of a stuck child follow from the kind. The names
 * are what users search for in conditions and Events, so they do not change.
 */
public enum Reason {
    // work under way
    Indexing(Kind.PROGRESS),
    /** The embed step trains the self-supervised encoder and embeds the pool. */
    Embedding(Kind.PROGRESS),
    InitialSelection(Kind.PROGRESS),
    Training(Kind.PROGRESS),
    Inferring(Kind.PROGRESS),
    Selecting(Kind.PROGRESS),
    AwaitingLabels(Kind.PROGRESS),
    Running(Kind.PROGRESS),
    Resumed(Kind.PROGRESS),
    // done
    Indexed(Kind.PROGRESS),
    Embedded(Kind.PROGRESS),
    Completed(Kind.PROGRESS),
    Selected(Kind.PROGRESS),
    Labeled(Kind.PROGRESS),
    // a loop's stop rules
    MaxRounds(Kind.PROGRESS),
    LabelBudget(Kind.PROGRESS),
    MetricReached(Kind.PROGRESS),
    Plateau(Kind.PROGRESS),
    /** Everything of the pool is labeled or selected: nothing is left to pick. */
    PoolExhausted(Kind.PROGRESS),
    /** The stop metric is among what the trainer reports (again). */
    MetricReported(Kind.PROGRESS),
    // held until something else happens
    WaitingForDataset(Kind.WAIT),
    /** A model-free pick waits for the Dataset's self-supervised embeddings rather than fall back to pixels. */
    WaitingForEmbeddings(Kind.WAIT),
    WaitingForTrainingRun(Kind.WAIT),
    WaitingForResumeSource(Kind.WAIT),
    Suspended(Kind.WAIT),
    // someone must fix something
    InvalidSpec(Kind.PROBLEM),
    DatasetNotFound(Kind.PROBLEM),
    /** The Dataset stopped on a problem of its own (IndexFailed, InvalidSpec, PodsForbidden...): its words follow. */
    DatasetFailed(Kind.PROBLEM),
    TrainingRunNotFound(Kind.PROBLEM),
    ResumeSourceNotFound(Kind.PROBLEM),
    TrainingRunFailed(Kind.PROBLEM),
    ResumeSourceFailed(Kind.PROBLEM),
    IndexFailed(Kind.PROBLEM),
    EmbedFailed(Kind.PROBLEM),
    TrainFailed(Kind.PROBLEM),
    InferFailed(Kind.PROBLEM),
    SelectFailed(Kind.PROBLEM),
    AwaitLabelsFailed(Kind.PROBLEM),
    ChildFailed(Kind.PROBLEM),
    NameConflict(Kind.PROBLEM),
    /** The API server refused a step's pods ("forbidden": Pod Security, a ResourceQuota, a policy webhook). */
    PodsForbidden(Kind.PROBLEM),
    /** The Job controller could not create a step's pods for another reason (an unreachable webhook, say). */
    PodsNotCreated(Kind.PROBLEM),
    /** A step's pods exist but cannot start: an image that cannot be pulled, a missing Secret or ConfigMap. */
    PodsNotStarting(Kind.PROBLEM),
    /** The trainer's engine (PyTorchJob, TrainJob) is not served by this cluster: its CRD is not installed. */
    EngineNotInstalled(Kind.PROBLEM),
    /** The engine's CRD on this cluster is a version whose fields Winnow cannot fill (strict field validation named them). */
    EngineVersionUnsupported(Kind.PROBLEM),
    /** An edit of the spec that came after the end and cannot take effect. */
    EditNotApplied(Kind.PROBLEM),
    /** The stop metric is not among what the trainer reports. */
    MetricNotReported(Kind.PROBLEM),
    /** A field that has no effect for the Dataset's task (a Warning only). */
    FieldIgnored(Kind.PROBLEM),
    /** Another running loop uses the same Dataset, so each trains on the other's labels too (a Warning only). */
    SharedDataset(Kind.PROBLEM),
    /** The API server refused a child or a Job (400/422), in its own words. */
    JobRejected(Kind.PROBLEM),
    TrainingRunRejected(Kind.PROBLEM),
    SelectionRoundRejected(Kind.PROBLEM),
    PyTorchJobRejected(Kind.PROBLEM),
    TrainJobRejected(Kind.PROBLEM),
    /** Refused (400/422) about something other than a Job or child. */
    RequestRejected(Kind.PROBLEM),
    /** The operator may not do what the reconcile needs (403); tried again every minute. */
    JobForbidden(Kind.PROBLEM),
    TrainingRunForbidden(Kind.PROBLEM),
    SelectionRoundForbidden(Kind.PROBLEM),
    RequestForbidden(Kind.PROBLEM),
    /** The API server failed (5xx); tried again every minute. */
    ApiUnavailable(Kind.PROBLEM),
    /** A bug in the operator, reported rather than retried silently; tried again every minute. */
    ReconcileError(Kind.PROBLEM);

    public enum Kind {
        /** Work under way or done: a Normal Event. */
        PROGRESS,
        /** Held until something else happens: a Normal Event, and the phase says what it waits for. */
        WAIT,
        /** Someone must fix something: a Warning Event, and the phase names it. */
        PROBLEM
    }

    private final Kind kind;

    Reason(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** A reason read back from a condition; empty for one this operator does not write. */
    public static Optional<Reason> of(String name) {
        return Arrays.stream(values()).filter(r -> r.name().equals(name)).findFirst();
    }

    /** The kind of a reason read back from a condition; one this operator does not write counts as progress. */
    public static Kind kindOf(String name) {
        return of(name).map(Reason::kind).orElse(Kind.PROGRESS);
    }
}
