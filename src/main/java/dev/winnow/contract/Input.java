package dev.winnow.contract;

/** What a strategy reads from a TrainingRun's predictions directory (DESIGN §4). */
public enum Input {
    PROBABILITIES("class probabilities (probs.npy)"),
    EMBEDDINGS("embeddings (embeddings.npy)"),
    MC_DROPOUT_SAMPLES("MC-dropout samples (mc_probs.npy)"),
    DETECTIONS("detections (detections.jsonl or KITTI files)");

    private final String description;

    Input(String description) {
        this.description = description;
    }

    /** For messages: "class probabilities (probs.npy)". */
    public String description() {
        return description;
    }
}
