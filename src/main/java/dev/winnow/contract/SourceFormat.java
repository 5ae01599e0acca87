package dev.winnow.contract;

/** {@code Dataset.spec.source.format} and {@code WINNOW_DATASET_FORMAT}: how the pool's images are stored. */
public enum SourceFormat {
    /** A directory with the four MNIST-style IDX files (optionally gzipped). */
    Idx,
    /** A directory of PNG/JPEG files, flat or one folder per class. */
    ImageFolder,
    /** A JSONL file of {@code {"id", "uri"}} lines. */
    Manifest
}
