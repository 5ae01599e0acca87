package dev.winnow.api.v1alpha1;

/** Enumerations shared by the resources; the constant names are the values users write in YAML. */
public final class Enums {
    private Enums() {
    }

    public enum TaskType { Classification, ObjectDetection }

    public enum SourceFormat { Idx, ImageFolder, Manifest }

    public enum LabelFormat { Jsonl, Kitti, Coco, Yolo }

    /** External: humans label; Simulated: ground truth is revealed (benchmarks, demo); None: do not wait. */
    public enum LabelingMode { External, Simulated, None }

    public enum InferenceOutput { Probabilities, Embeddings }

    public enum InferenceTarget { Unlabeled, All }

    public enum DetectionAggregation { Max, Mean, Sum }

    /** Sampling strategies; the step passes them to {@code winnow select} in kebab case. */
    public enum Strategy {
        Random, LeastConfidence, Margin, Ratio, Entropy, UncertaintyMix, Bald, VariationRatio,
        Coreset, ClusterBalanced, Coral, Badge, ClusterMargin, ObjectFrequency;

        /** The name {@code winnow select --strategy} takes: LeastConfidence becomes least-confidence. */
        public String cliName() {
            return name().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
        }
    }
}
