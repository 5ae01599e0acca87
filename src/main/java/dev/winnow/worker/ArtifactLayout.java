package dev.winnow.worker;

import java.net.URI;

import dev.winnow.storage.Uris;

/** The layout under {@code Dataset.spec.artifacts.uri} (DESIGN §4). */
public record ArtifactLayout(URI root) {

    public ArtifactLayout {
        root = Uris.asDirectory(root);
    }

    public URI manifest(String dataset) {
        return Uris.resolve(root, "datasets/" + dataset + "/manifest.jsonl");
    }

    public URI classHistogram(String dataset) {
        return Uris.resolve(root, "datasets/" + dataset + "/class-histogram.json");
    }

    public URI tagsDirectory() {
        return Uris.resolve(root, "tags/");
    }

    public URI tag(String tag) {
        return Uris.resolve(root, "tags/" + tag + ".txt");
    }

    public URI model(String trainingRun) {
        return Uris.resolve(root, "runs/" + trainingRun + "/model/");
    }

    /** A run's own predictions, under its uid (the operator names it in WINNOW_PREDICTIONS_OUT). */
    public URI predictions(String trainingRun, String uid) {
        return Uris.resolve(root, "runs/" + trainingRun + "/predictions/" + uid + "/");
    }

    public URI selection(String selectionRound) {
        return Uris.resolve(root, "rounds/" + selectionRound + "/selection.jsonl");
    }
}
