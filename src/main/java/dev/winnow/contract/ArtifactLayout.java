package dev.winnow.contract;

/**
 * Where each artifact lives under a Dataset's artifacts URI (DESIGN §4). The operator names these
 * locations and hands them to steps (it never reads them); the worker resolves the same paths
 * against its parsed root through {@link #RELATIVE}, which gives them relative to the root.
 */
public record ArtifactLayout(String root) {
    /** The paths below the root, for callers that join them to a root themselves. */
    public static final ArtifactLayout RELATIVE = new ArtifactLayout("");

    public ArtifactLayout {
        root = root.isEmpty() || root.endsWith("/") ? root : root + "/";
    }

    public String manifest(String dataset) {
        return root + "datasets/" + dataset + "/manifest.jsonl";
    }

    /** The index step's class counts, when they may not fit the termination message. */
    public String classHistogram(String dataset) {
        return root + "datasets/" + dataset + "/class-histogram.json";
    }

    /**
     * The embed step's output: {@code embeddings.npy} [N, D] and {@code ids.txt} (written last) of the whole
     * pool, in the format of a predictions directory, so the sampling engine reads it unchanged.
     */
    public String embeddings(String dataset) {
        return root + "datasets/" + dataset + "/embeddings/";
    }

    /**
     * The built-in embed step's encoder, beside its embeddings: a backbone a classifier can start from
     * ({@code trainer.backbone.fromEmbedder}).
     */
    public String encoder(String dataset) {
        return root + "datasets/" + dataset + "/encoder/";
    }

    public String tags() {
        return root + "tags/";
    }

    public String tag(String tag) {
        return tags() + tag + ".txt";
    }

    /** Where runs of Winnow 0.1.0 wrote their model, before attempts had places of their own. */
    public String model(String run) {
        return run(run) + "model/";
    }

    /**
     * A run's predictions, under its uid: a TrainingRun deleted and created again under the same name
     * (with fewer shards, say) writes a new directory and never reads the part files of the old one.
     */
    public String predictions(String run, String uid) {
        return run(run) + "predictions/" + uid + "/";
    }

    /**
     * A step's own attempt in its environment: Kubernetes expands it to the pod's uid ({@link Variables#ATTEMPT})
     * in the values of the variables after it.
     */
    public static final String ATTEMPT_REF = "$(" + Variables.ATTEMPT + ")";

    /**
     * One attempt of a run's train step (a pod, by uid): its ids files and its model. The run reads the outputs of
     * the attempt that succeeded, so another attempt of the same step, late or doubled, changes nothing it reads.
     */
    public String attempt(String run, String attempt) {
        return run(run) + "attempts/" + attempt + "/";
    }

    public String model(String run, String attempt) {
        return attempt(run, attempt) + "model/";
    }

    public String trainIds(String run, String attempt) {
        return attempt(run, attempt) + "train-ids.txt";
    }

    public String predictIds(String run, String attempt) {
        return attempt(run, attempt) + "predict-ids.txt";
    }

    /** The pseudo-labels an attempt trained on besides its labels, kept for inspection. */
    public String pseudoLabels(String run, String attempt) {
        return attempt(run, attempt) + "pseudo-labels.jsonl";
    }

    /** Where runs of Winnow 0.1.0 wrote their ids, before attempts had places of their own. */
    public String trainIds(String run) {
        return run(run) + "train-ids.txt";
    }

    /** Where runs of Winnow 0.1.0 wrote their ids, before attempts had places of their own. */
    public String predictIds(String run) {
        return run(run) + "predict-ids.txt";
    }

    public String selection(String round) {
        return root + "rounds/" + round + "/selection.jsonl";
    }

    private String run(String run) {
        return root + "runs/" + run + "/";
    }
}
