package dev.winnow.contract;

/**
 * Names of the contract's environment variables (DESIGN §3): the operator sets them on step Jobs, the
 * worker and users' images read them. docs/step-contract.md says what each means.
 */
public final class Variables {

    private Variables() {
    }

    public static final String STEP = "WINNOW_STEP";
    public static final String TASK = "WINNOW_TASK";
    public static final String CLASSES = "WINNOW_CLASSES";
    public static final String DATASET = "WINNOW_DATASET";
    public static final String DATASET_URI = "WINNOW_DATASET_URI";
    public static final String DATASET_FORMAT = "WINNOW_DATASET_FORMAT";
    public static final String LABELS_URI = "WINNOW_LABELS_URI";
    public static final String LABELS_FORMAT = "WINNOW_LABELS_FORMAT";
    public static final String ARTIFACTS_URI = "WINNOW_ARTIFACTS_URI";
    public static final String MANIFEST = "WINNOW_MANIFEST";
    /** Side length images of ImageFolder and Manifest datasets are scaled to (default 64). */
    public static final String IMAGE_SIZE = "WINNOW_IMAGE_SIZE";

    public static final String TRAIN_TAGS = "WINNOW_TRAIN_TAGS";
    public static final String TRAIN_ALL_LABELED = "WINNOW_TRAIN_ALL_LABELED";
    public static final String PREDICT_TARGET = "WINNOW_PREDICT_TARGET";
    public static final String TRAIN_IDS = "WINNOW_TRAIN_IDS";
    /**
     * Every step: its pod's uid, one per attempt. The train step's outputs go under runs/<run>/attempts/<attempt>/,
     * so a late or second attempt never rewrites what a finished one wrote and the next step reads.
     */
    public static final String ATTEMPT = "WINNOW_ATTEMPT";
    public static final String PREDICT_IDS = "WINNOW_PREDICT_IDS";

    public static final String RESUME_FROM = "WINNOW_RESUME_FROM";
    public static final String CHECKPOINT_OUT = "WINNOW_CHECKPOINT_OUT";
    public static final String EPOCHS = "WINNOW_EPOCHS";
    public static final String MODEL = "WINNOW_MODEL";
    public static final String BATCH_SIZE = "WINNOW_BATCH_SIZE";
    public static final String LEARNING_RATE = "WINNOW_LEARNING_RATE";
    /** The seed of a step's random choices (selection ties and draws, weight init, shuffles, dropout). */
    public static final String SEED = "WINNOW_SEED";
    /** What every step assumes when {@link #SEED} is unset. */
    public static final long DEFAULT_SEED = 0;
    /** PyTorch intra-op threads (default: the CPUs the container may use); read from the process
     *  environment when the engine loads, so {@code --set} cannot change it. */
    public static final String THREADS = "WINNOW_THREADS";

    /**
     * train (optional): a backbone to start from instead of random weights, a URI. Winnow's trainer reads the encoder
     * directory its embed step writes ({@code trainer.backbone}); a user's image may read it as it likes, or ignore it.
     */
    public static final String BACKBONE = "WINNOW_BACKBONE";
    /** prepare (optional): the predictions directory of the previous round, whose confident rows become pseudo-labels. */
    public static final String PSEUDO_LABEL_SOURCE = "WINNOW_PSEUDO_LABEL_SOURCE";
    /** prepare (optional): the least top-class probability a prediction needs to become a pseudo-label. */
    public static final String PSEUDO_LABEL_THRESHOLD = "WINNOW_PSEUDO_LABEL_THRESHOLD";
    /**
     * prepare writes, train reads (optional): a JSONL of {@code {"id", "label", "confidence"}}, one unlabeled sample a
     * line, to train on besides {@link #TRAIN_IDS}; never labels, never counted as labels.
     */
    public static final String PSEUDO_LABELS = "WINNOW_PSEUDO_LABELS";

    public static final String CHECKPOINT = "WINNOW_CHECKPOINT";
    public static final String PREDICTIONS_OUT = "WINNOW_PREDICTIONS_OUT";
    public static final String OUTPUTS = "WINNOW_OUTPUTS";
    public static final String SHARDS = "WINNOW_SHARDS";
    public static final String COMPLETION_INDEX = "JOB_COMPLETION_INDEX";

    /** embed: where {@code embeddings.npy} and {@code ids.txt} of the whole pool go. */
    public static final String EMBEDDINGS_OUT = "WINNOW_EMBEDDINGS_OUT";
    /** embed: how many pool images the self-supervised encoder trains on (a seeded subsample; default 5000). */
    public static final String EMBED_SAMPLE_SIZE = "WINNOW_EMBED_SAMPLE_SIZE";
    /** embed: the width of the embedding (default 64). */
    public static final String EMBED_DIMS = "WINNOW_EMBED_DIMS";
    /** select: the Dataset's self-supervised embeddings, read by a model-free pick instead of pooled pixels. */
    public static final String EMBEDDINGS = "WINNOW_EMBEDDINGS";

    public static final String PREDICTIONS = "WINNOW_PREDICTIONS";
    public static final String STRATEGY = "WINNOW_STRATEGY";
    /** A JSON object of strings, passed to the strategy as --param key=value. */
    public static final String STRATEGY_PARAMS = "WINNOW_STRATEGY_PARAMS";
    public static final String DETECTION_AGGREGATION = "WINNOW_DETECTION_AGGREGATION";
    public static final String COUNT = "WINNOW_COUNT";
    public static final String TOTAL = "WINNOW_TOTAL";
    public static final String EXCLUDE_ALL_LABELED = "WINNOW_EXCLUDE_ALL_LABELED";
    public static final String EXCLUDE_TAGS = "WINNOW_EXCLUDE_TAGS";
    public static final String TAG = "WINNOW_TAG";
    public static final String SELECTION_OUT = "WINNOW_SELECTION_OUT";
    /** The loop round a selection belongs to (0 = initial), written to each line of selection.jsonl. */
    public static final String ROUND = "WINNOW_ROUND";
    /** The TrainingRun whose predictions a selection used: the label request's {@code model_version}. */
    public static final String TRAINING_RUN = "WINNOW_TRAINING_RUN";

    public static final String SELECTION = "WINNOW_SELECTION";
    public static final String LABELING_MODE = "WINNOW_LABELING_MODE";
    public static final String MIN_LABELS = "WINNOW_MIN_LABELS";
    public static final String POLL_SECONDS = "WINNOW_POLL_SECONDS";
    public static final String DEADLINE_SECONDS = "WINNOW_DEADLINE_SECONDS";
    public static final String GROUND_TRUTH_URI = "WINNOW_GROUND_TRUTH_URI";
    public static final String GROUND_TRUTH_FORMAT = "WINNOW_GROUND_TRUTH_FORMAT";
    /**
     * The progress ({@code labeled/skipped}) the operator last recorded. When set, await-labels ends
     * early to report a change (result {@code "waiting": true}) and the operator starts the next
     * wait: a running pod has no other way to tell the operator anything.
     */
    public static final String LABELS_REPORTED = "WINNOW_LABELS_REPORTED";
    /** How long await-labels waits before it reports a change (default 60 s), so Jobs do not churn. */
    public static final String REPORT_SECONDS = "WINNOW_REPORT_SECONDS";

    /** Where a step writes its result when not {@code /dev/termination-log} (local runs). */
    public static final String TERMINATION_LOG = "WINNOW_TERMINATION_LOG";
    /** The prefix of every contract variable; {@code --set epochs=3} means {@code WINNOW_EPOCHS=3}. */
    public static final String PREFIX = "WINNOW_";
}
