package dev.winnow.operator;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.Validation;
import dev.winnow.operator.naming.Names;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every name the CRDs accept works for any number of rounds: loops named with 1, 45 and the maximum
 * of 63 characters (on a Dataset of 63) each run 12 rounds. The mock server checks no name or label,
 * so the test checks what a real API server would refuse.
 */
class LongNamesTest extends ClusterTest {
    static final int ROUNDS = 12;
    static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
    static final Pattern LABEL_VALUE = Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$");

    @Test
    void loopsNamedWith1And45And63CharactersRunTwelveRounds() {
        String dataset = "d".repeat(Validation.MAX_NAME);
        create(Manifests.dataset(dataset));
        List<String> loops = List.of("a", "l".repeat(45), "m".repeat(Validation.MAX_NAME));
        for (String name : loops) {
            ActiveLearningLoop loop = Manifests.loop(name, dataset, ROUNDS);
            loop.getSpec().initialSelection.count = 10;
            loop.getSpec().round.selection.count = 10;
            create(loop);
        }
        Eventually.until(Duration.ofSeconds(180), () -> loops.stream().allMatch(this::succeeded),
                () -> loops.stream().map(l -> l.length() + " characters: " + get(ActiveLearningLoop.class, l).getStatus()).toList().toString());

        for (String name : loops) {
            var status = get(ActiveLearningLoop.class, name).getStatus();
            assertEquals("MaxRounds", status.stopReason, name.length() + " characters");
            assertEquals(ROUNDS, status.round);
            assertEquals(IntStream.rangeClosed(1, ROUNDS).boxed().toList(), status.history.stream().map(h -> h.round).toList());
            assertEquals(Names.child(name, ROUNDS), status.trainingRun);
        }
        List<HasMetadata> children = new ArrayList<>();
        children.addAll(cluster.client.resources(TrainingRun.class).inNamespace(MockCluster.NAMESPACE).list().getItems());
        children.addAll(cluster.client.resources(SelectionRound.class).inNamespace(MockCluster.NAMESPACE).list().getItems());
        assertEquals(3 * 2 * ROUNDS, children.size(), "per loop: 12 SelectionRounds (r0 to r11), 12 TrainingRuns (r1 to r12)");
        for (HasMetadata child : children) {
            String name = child.getMetadata().getName();
            assertTrue(name.length() <= Validation.MAX_NAME && DNS_LABEL.matcher(name).matches(), name);
            assertLabelValues(child.getMetadata().getLabels());
        }
        List<Job> jobs = cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).list().getItems();
        assertEquals(1 + 3 * (2 + 4 * ROUNDS - 3), jobs.size(),
                "one index Job, then per loop: select+await, 12 x train, 11 x infer (not after the last), 11 x select+await");
        for (Job job : jobs) {
            String name = job.getMetadata().getName();
            assertTrue(name.length() <= Names.MAX_JOB && DNS_LABEL.matcher(name).matches(), name);
            assertLabelValues(job.getMetadata().getLabels());
            assertLabelValues(job.getSpec().getTemplate().getMetadata().getLabels());
        }
    }

    private boolean succeeded(String loop) {
        var status = get(ActiveLearningLoop.class, loop).getStatus();
        return status != null && phase(status, "Succeeded");
    }

    private static void assertLabelValues(Map<String, String> labels) {
        labels.forEach((k, v) -> assertTrue(v.length() <= 63 && LABEL_VALUE.matcher(v).matches(), k + "=" + v));
    }
}
