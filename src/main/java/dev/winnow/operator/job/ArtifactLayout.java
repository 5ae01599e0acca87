package dev.winnow.operator.job;

/**
 * Where each artifact lives under a Dataset's artifacts URI (DESIGN §4). The operator only names
 * these URIs and hands them to steps; it never reads them.
 */
public record ArtifactLayout(String root, String dataset) {
    public ArtifactLayout {
        root = root.endsWith("/") ? root : root + "/";
    }

    public String manifest() {
        return root + "datasets/" + dataset + "/manifest.jsonl";
    }

    public String tags() {
        return root + "tags/";
    }

    public String tag(String tag) {
        return tags() + tag + ".txt";
    }

    public String model(String run) {
        return root + "runs/" + run + "/model/";
    }

    /**
     * A run's predictions, under its uid: a TrainingRun deleted and created again under the same name
     * (with fewer shards, say) writes a new directory and never reads the part files of the old one.
     */
    public String predictions(String run, String uid) {
        return root + "runs/" + run + "/predictions/" + uid + "/";
    }

    public String trainIds(String run) {
        return root + "runs/" + run + "/train-ids.txt";
    }

    public String predictIds(String run) {
        return root + "runs/" + run + "/predict-ids.txt";
    }

    public String selection(String round) {
        return root + "rounds/" + round + "/selection.jsonl";
    }
}
