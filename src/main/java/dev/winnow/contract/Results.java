package dev.winnow.contract;

/**
 * The keys of a step's result, the JSON object in its termination message (DESIGN §3) that the
 * operator copies into status. The worker package's documentation lists every key a step writes;
 * these are the ones the operator reads, so they must not drift.
 */
public final class Results {
    private Results() {
    }

    /**
     * The exit code of a step refusing its input (the message says what to fix): the same input fails the same way,
     * so the step Job fails at once instead of retrying. Any other non-zero code is a failed attempt.
     */
    public static final int BAD_INPUT_EXIT_CODE = 2;

    /** Any failed step: {@code {"error": "..."}}. */
    public static final String ERROR = "error";

    /** index. */
    public static final String SAMPLES = "samples";
    public static final String LABELED = "labeled";
    public static final String CLASS_HISTOGRAM = "classHistogram";
    /** index: where the whole histogram is, since with many classes it does not fit the message. */
    public static final String CLASS_HISTOGRAM_URI = "classHistogramUri";
    public static final String CLASS_HISTOGRAM_SHA256 = "classHistogramSha256";
    public static final String MANIFEST = "manifest";
    /** index: a list of {@code {name, count, uri, sha256}}. */
    public static final String TAGS = "tags";
    public static final String NAME = "name";
    public static final String URI = "uri";

    /** train. */
    public static final String METRICS = "metrics";
    public static final String CHECKPOINT = "checkpoint";
    public static final String TRAINED = "trained";
    /** The metric a trainer reports by default, and what a loop's stop rule reads when it names none. */
    public static final String ACCURACY = "accuracy";
    /** What the reference detector reports: mAP at IoU 0.5 (VOC all-point), what a detection loop stops on. */
    public static final String MAP50 = "map50";

    /** infer (per shard) and the tags of index. */
    public static final String COUNT = "count";

    /** embed: epochs, the last epoch's mean loss, the embedding width and where it is ({@link #COUNT} rows). */
    public static final String EPOCHS = "epochs";
    public static final String LOSS = "loss";
    public static final String FIRST_LOSS = "firstLoss";
    /** embed: the images the encoder trained on (a subsample of the pool). */
    public static final String TRAINED_ON = "trainedOn";
    public static final String DIMS = "dims";
    public static final String EMBEDDINGS = "embeddings";
    /** embed: the directory of the encoder's weights, a backbone for the trainer. */
    public static final String ENCODER = "encoder";
    /** prepare and train: how many pseudo-labels (never counted as labels). */
    public static final String PSEUDO_LABELED = "pseudoLabeled";

    /** select: which vectors a diversity or typicality pick measured distances in ({@link EmbeddingSpace}). */
    public static final String EMBEDDING_SPACE = "embeddingSpace";

    /** select. */
    public static final String SELECTED = "selected";
    public static final String SELECTION = "selection";
    public static final String SHA256 = "sha256";
    public static final String TAG = "tag";
    public static final String TAG_URI = "tagUri";
    public static final String SECONDS = "seconds";

    /** await-labels: of the selection, skipped by people and still open; waiting = a progress report. */
    public static final String SKIPPED = "skipped";
    public static final String OPEN = "open";
    public static final String WAITING = "waiting";
}
