package dev.winnow.dashboard;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.ActiveLearningLoopStatus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The list page: every loop the viewer may list, grouped by namespace, with the trouble of the loop and its children. */
public final class LoopRows {
    private LoopRows() {
    }

    /**
     * One loop as a row; {@code created} is the creation timestamp, so the page counts the age itself.
     *
     * @param trouble the loop's own failure or wait first, then its children's
     */
    public record Row(String namespace, String name, String phase, String stage, Integer round, Long labeled,
                      Double lastMetric, String metricName, String created, String stopReason, List<Trouble> trouble) {
    }

    public record Namespace(String name, List<Row> loops) {
    }

    public record Page(List<Namespace> namespaces, List<String> problems) {
    }

    public static Page of(Snapshot s) {
        Map<String, List<Row>> byNamespace = new TreeMap<>();
        s.loops().stream().sorted(Comparator.comparing((ActiveLearningLoop l) -> l.getMetadata().getName()))
                .forEach(l -> byNamespace.computeIfAbsent(l.getMetadata().getNamespace(), k -> new ArrayList<>()).add(row(s, l)));
        return new Page(byNamespace.entrySet().stream().map(e -> new Namespace(e.getKey(), e.getValue())).toList(), s.problems());
    }

    static Row row(Snapshot s, ActiveLearningLoop loop) {
        ActiveLearningLoopStatus st = Optional.ofNullable(loop.getStatus()).orElseGet(ActiveLearningLoopStatus::new);
        return new Row(loop.getMetadata().getNamespace(), loop.getMetadata().getName(), st.phase, st.stage, st.round,
                st.labeled, st.lastMetric, st.metricName, loop.getMetadata().getCreationTimestamp(), st.stopReason,
                trouble(s, loop));
    }

    static List<Trouble> trouble(Snapshot s, ActiveLearningLoop loop) {
        Stream<Trouble> own = Trouble.of(loop, loop.getStatus()).stream();
        Stream<Trouble> rounds = Snapshot.childrenOf(loop, s.rounds()).flatMap(r -> Trouble.of(r, r.getStatus()).stream());
        Stream<Trouble> runs = Snapshot.childrenOf(loop, s.runs()).flatMap(r -> Trouble.of(r, r.getStatus()).stream());
        return Stream.of(own, rounds, runs).flatMap(x -> x).toList();
    }
}
