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

    public String predictions(String run) {
        return root + "runs/" + run + "/predictions/";
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
