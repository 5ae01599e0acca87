package dev.winnow.contract;

/**
 * The vectors a distance-based selection (coreset, cluster-balanced, typiclust, probcover, and the hybrids)
 * measured in: the select step reports it, the SelectionRound's status shows it.
 */
public enum EmbeddingSpace {
    /** The penultimate layer of the round's trained model (its predictions' {@code embeddings.npy}). */
    Model,
    /** The Dataset's self-supervised embeddings, written by the embed step before any label. */
    SelfSupervised,
    /** Average-pooled pixels: a model-free pick on a Dataset without an embedder. */
    Pixels
}
