package dev.winnow.dashboard;

import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.DatasetStatus;
import dev.winnow.api.v1alpha1.SelectionRound;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The page of one Dataset: counts, tags, the loops that use it, and whether its pool map can be drawn. */
public final class DatasetPages {
    private DatasetPages() {
    }

    public record Tag(String name, Long count) {
    }

    /**
     * @param mapVersion changes whenever the map would (new embeddings, a new or finished pick), so the page asks
     *                   for the picture again only then; null with {@code mapWhyNot} when there is nothing to draw
     */
    public record Page(String namespace, String name, String phase, Long samples, Long labeled, String artifacts,
                       List<Tag> tags, List<String> loops, List<LoopPages.ConditionRow> conditions, String mapVersion,
                       String mapWhyNot) {
    }

    public static Optional<Page> of(Snapshot s, String namespace, String name) {
        return find(s, namespace, name).map(d -> page(s, d));
    }

    static Optional<Dataset> find(Snapshot s, String namespace, String name) {
        return s.datasets().stream().filter(d -> namespace.equals(d.getMetadata().getNamespace())
                && name.equals(d.getMetadata().getName())).findFirst();
    }

    static Page page(Snapshot s, Dataset d) {
        DatasetStatus st = Optional.ofNullable(d.getStatus()).orElseGet(DatasetStatus::new);
        String artifacts = artifacts(d);
        List<String> loops = s.loops().stream().filter(l -> Snapshot.sameNamespace(l, d) && l.getSpec() != null
                && d.getMetadata().getName().equals(l.getSpec().datasetRef)).map(l -> l.getMetadata().getName()).sorted().toList();
        String whyNot = artifacts == null ? "The Dataset names no spec.artifacts.uri, so there are no embeddings to map."
                : st.embedding == null || st.embedding.uri == null
                ? "No pool map: the Dataset has no self-supervised embeddings yet (give it a spec.embedder, as "
                + "`winnow demo --embed` does, and let its embed step finish)." : null;
        return new Page(d.getMetadata().getNamespace(), d.getMetadata().getName(), st.phase, st.samples, st.labeled,
                artifacts, st.tags == null ? List.of() : st.tags.stream().map(t -> new Tag(t.name, t.count)).toList(),
                loops, LoopPages.conditions(st), whyNot == null ? mapVersion(s, d) : null, whyNot);
    }

    static String artifacts(Dataset d) {
        return d.getSpec() == null || d.getSpec().artifacts == null ? null : d.getSpec().artifacts.uri;
    }

    /** The embeddings' time and every pick of the Dataset with its progress: what the picture is drawn from. */
    static String mapVersion(Snapshot s, Dataset d) {
        String picks = s.rounds().stream().filter(r -> Snapshot.sameNamespace(r, d) && r.getSpec() != null
                        && d.getMetadata().getName().equals(r.getSpec().datasetRef))
                .map(DatasetPages::pickState).sorted().collect(Collectors.joining(","));
        var e = d.getStatus().embedding;
        return Integer.toHexString((e.uri + e.embeddedAt + "|" + picks).hashCode());
    }

    private static String pickState(SelectionRound r) {
        return r.getMetadata().getName() + ":" + (r.getStatus() == null ? "" : r.getStatus().selection);
    }
}
