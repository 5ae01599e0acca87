package dev.winnow.contract;

/**
 * The keys of a step's result, the JSON object in its termination message (DESIGN §3) that the
 * operator copies into status. The worker package's documentation lists every key a step writes;
 * these are the ones the operator reads, so they must not drift.
 */
public final class Results {
    private Results() {
    }

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

    /** select. */
    public static final String SELECTED = "selected";
    public static final String SELECTION = "selection";
    public static final String SHA256 = "sha256";
    public static final String TAG = "tag";
    public static final String TAG_URI = "tagUri";
    public static final String SECONDS = "seconds";
}
