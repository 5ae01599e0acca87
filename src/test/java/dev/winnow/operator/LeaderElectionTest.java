package dev.winnow.operator;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.WinnowStatus;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several operators on one API server, as `replicaCount: 2` and every rolling upgrade run them:
 * with leader election only the Lease holder reconciles and a standby takes over when it stops;
 * and even two writers at once (no election) leave status clean, since status writes carry the
 * resourceVersion they were computed from.
 */
class LeaderElectionTest extends ClusterTest {
    static final String LEASE = "winnow-operator";

    @Override
    void startOperators() {
        // each test starts its own
    }

    /** Short terms so a hand-over takes seconds; a stopped test leader must not end the JVM. */
    static Optional<LeaderElection> election(String identity) {
        return Optional.of(new LeaderElection(LEASE, MockCluster.NAMESPACE, identity, Duration.ofSeconds(2),
                Duration.ofMillis(1500), Duration.ofMillis(200), false));
    }

    @Test
    void onlyTheLeaderReconciles() {
        MeterRegistry first = new SimpleMeterRegistry();
        MeterRegistry second = new SimpleMeterRegistry();
        cluster.startAnother(election("winnow-a"), first);
        awaitLeader("winnow-a");
        cluster.startAnother(election("winnow-b"), second);

        create(Manifests.dataset("fashion"));
        create(Manifests.loop("fashion", "fashion", 2));
        await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Succeeded"));

        assertTrue(reconciles(first) > 0, "the leader reconciled");
        assertEquals(0, reconciles(second), "the standby reconciled nothing");
        assertEquals("winnow-a", lease().getSpec().getHolderIdentity());
        assertStatusClean(List.of(1, 2));
    }

    @Test
    void standbyTakesOverWhenTheLeaderStopsAndTheLoopFinishesOnce() {
        kubelet.manual();
        MeterRegistry second = new SimpleMeterRegistry();
        Operator leader = cluster.startAnother(election("winnow-a"), new SimpleMeterRegistry());
        awaitLeader("winnow-a");
        cluster.startAnother(election("winnow-b"), second);
        create(Manifests.dataset("fashion"));
        create(Manifests.loop("fashion", "fashion", 3));

        // the leader runs the loop into round 1 (index, initial selection and its labels, training)
        for (int step = 0; step < 4; step++) {
            Eventually.until(TIMEOUT, () -> kubelet.pending().size() == 1, () -> "pending: " + kubelet.pending().size()
                    + " after " + kubelet.ran());
            kubelet.runPending();
        }
        leader.stop();
        awaitLeader("winnow-b");
        kubelet.automatic();
        await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Succeeded"));

        assertEquals(ActiveLearningLoopReconcilerTest.THREE_ROUNDS, kubelet.ran(), "no Job run twice, none skipped");
        assertEquals(ActiveLearningLoopReconcilerTest.THREE_ROUNDS.size(),
                cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).list().getItems().size(), "no duplicate Jobs");
        assertTrue(reconciles(second) > 0, "the new leader finished the loop");
        assertTrue(lease().getSpec().getLeaseTransitions() >= 1, "the lease changed hands");
        assertStatusClean(List.of(1, 2, 3));
    }

    /** The failure this guards against: two operators without leader election, both writing every status. */
    @Test
    void withoutLeaderElectionTwoOperatorsStillLeaveOneConditionPerTypeAndOneEntryPerRound() {
        cluster.startAnother(Optional.empty(), new SimpleMeterRegistry());
        cluster.startAnother(Optional.empty(), new SimpleMeterRegistry());
        create(Manifests.dataset("fashion"));
        create(Manifests.loop("fashion", "fashion", 3));
        await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Succeeded"));

        assertStatusClean(List.of(1, 2, 3));
        assertEquals(ActiveLearningLoopReconcilerTest.THREE_ROUNDS.size(),
                cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).list().getItems().size(), "no duplicate Jobs");
    }

    /** History holds each round once; every object holds each condition type once. */
    private void assertStatusClean(List<Integer> rounds) {
        ActiveLearningLoop loop = get(ActiveLearningLoop.class, "fashion");
        assertEquals(rounds, loop.getStatus().history.stream().map(h -> h.round).toList(), "one history entry per round");
        for (Class<? extends CustomResource<?, ? extends WinnowStatus>> type
                : List.of(Dataset.class, TrainingRun.class, SelectionRound.class, ActiveLearningLoop.class)) {
            for (var resource : cluster.client.resources(type).inNamespace(MockCluster.NAMESPACE).list().getItems()) {
                var types = resource.getStatus().conditions.stream().map(c -> c.getType()).toList();
                assertEquals(new HashSet<>(types).size(), types.size(),
                        resource.getKind() + " " + resource.getMetadata().getName() + ": one condition per type, got " + types);
            }
        }
    }

    private static double reconciles(MeterRegistry registry) {
        return registry.find(MicrometerMetricsV2.RECONCILIATIONS_STARTED).counters().stream().mapToDouble(Counter::count).sum();
    }

    private Lease lease() {
        return cluster.client.leases().inNamespace(MockCluster.NAMESPACE).withName(LEASE).get();
    }

    private void awaitLeader(String identity) {
        Eventually.until(TIMEOUT, () -> lease() != null && identity.equals(lease().getSpec().getHolderIdentity()),
                () -> "lease: " + (lease() == null ? "none" : lease().getSpec()));
    }
}
