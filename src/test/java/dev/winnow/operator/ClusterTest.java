package dev.winnow.operator;

import dev.winnow.api.v1alpha1.WinnowStatus;
import io.fabric8.kubernetes.client.CustomResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.function.Predicate;

/** Base of the reconciler tests: a mock cluster, a scripted kubelet, the operator running. */
abstract class ClusterTest {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    MockCluster cluster;
    TestKubelet kubelet;

    @BeforeEach
    void startCluster() {
        cluster = new MockCluster();
        kubelet = FakeSteps.install(new TestKubelet(cluster.client), round -> 0.5 + 0.1 * round).automatic();
        startOperators();
    }

    /** The operator under test; tests of several operators, or of one with metrics, start their own. */
    void startOperators() {
        cluster.startOperator();
    }

    @AfterEach
    void stopCluster() {
        kubelet.close();
        cluster.close();
    }

    <T extends CustomResource<?, ? extends WinnowStatus>> T get(Class<T> type, String name) {
        return cluster.client.resources(type).inNamespace(MockCluster.NAMESPACE).withName(name).get();
    }

    <T extends CustomResource<?, ? extends WinnowStatus>> T create(T resource) {
        return cluster.client.resource(resource).create();
    }

    /** Waits until the resource's status satisfies the predicate; returns the resource. */
    <T extends CustomResource<?, S>, S extends WinnowStatus> T await(Class<T> type, String name, Predicate<S> until) {
        Eventually.until(TIMEOUT, () -> {
            T r = get(type, name);
            return r != null && r.getStatus() != null && until.test(r.getStatus());
        }, () -> {
            T r = get(type, name);
            return r == null ? name + " missing" : String.valueOf(io.fabric8.kubernetes.client.utils.Serialization.asYaml(r.getStatus()))
                    + "\njobs run: " + kubelet.ran();
        });
        T found = get(type, name);
        var types = found.getStatus().conditions.stream().map(c -> c.getType()).toList();
        org.junit.jupiter.api.Assertions.assertEquals(new java.util.HashSet<>(types).size(), types.size(),
                "one condition per type: " + types);
        return found;
    }

    static boolean phase(WinnowStatus status, String phase) {
        return phase.equals(status.phase);
    }
}
