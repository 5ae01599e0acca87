package dev.winnow.cluster;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.WinnowStatus;
import dev.winnow.operator.Eventually;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Winnow installed on the real cluster by `helm install`, and what tests ask of it and of the loops it runs. */
final class Installation {
    static final Duration POLL = Duration.ofMillis(500);
    static final Duration LOOP_TIMEOUT = Duration.ofMinutes(8);

    final RealCluster cluster;
    final KubernetesClient client;
    final String release;
    final String namespace;

    private Installation(RealCluster cluster, String release, String namespace) {
        this.cluster = cluster;
        this.client = cluster.client();
        this.release = release;
        this.namespace = namespace;
    }

    /** Installs the chart with the images built here and the given values, and waits for a ready operator pod. */
    static Installation install(String release, String namespace, Map<String, String> values) {
        return install(RealCluster.CHART, release, namespace, values);
    }

    /** Installs a chart of another version (a previous release's), and waits for a ready operator pod. */
    static Installation install(Path chart, String release, String namespace, Map<String, String> values) {
        RealCluster cluster = RealCluster.get();
        cluster.install(chart, release, namespace, values);
        Installation installed = new Installation(cluster, release, namespace);
        installed.until(Duration.ofMinutes(3), () -> installed.pods().stream().anyMatch(Installation::ready),
                () -> cluster.kubectl("-n", namespace, "get", "pods,events", "-o", "wide"));
        return installed;
    }

    void uninstall() {
        cluster.uninstall(release, namespace);
    }

    /** The operator's pods that are not being deleted. */
    List<Pod> pods() {
        return client.pods().inNamespace(namespace).withLabel("app.kubernetes.io/instance", release).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    static boolean ready(Pod pod) {
        return pod.getStatus().getContainerStatuses().stream().anyMatch(c -> Boolean.TRUE.equals(c.getReady()));
    }

    static int restarts(Pod pod) {
        return pod.getStatus().getContainerStatuses().stream().mapToInt(ContainerStatus::getRestartCount).sum();
    }

    Lease lease() {
        return client.leases().inNamespace(namespace).withName(release).get();
    }

    /** The pod whose process holds the Lease (identities are {@code <pod>_<uuid>}). */
    Optional<Pod> leader() {
        Lease lease = lease();
        String holder = lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
        if (holder == null || holder.isEmpty()) {
            return Optional.empty();
        }
        return pods().stream().filter(p -> holder.startsWith(p.getMetadata().getName() + "_")).findFirst();
    }

    void until(Duration timeout, Supplier<Boolean> condition, Supplier<String> state) {
        Eventually.until(timeout, POLL, condition, state);
    }

    <S, T extends CustomResource<?, S>> T await(Class<T> type, String ns, String name, Function<T, Boolean> condition, Duration timeout) {
        until(timeout, () -> {
            T found = client.resources(type).inNamespace(ns).withName(name).get();
            return found != null && condition.apply(found);
        }, () -> describe(ns));
        return client.resources(type).inNamespace(ns).withName(name).get();
    }

    /** Waits for the loop to end and checks it ended cleanly: Succeeded, one history entry and one condition of each. */
    ActiveLearningLoop finished(String ns, String name, int rounds) {
        ActiveLearningLoop loop = await(ActiveLearningLoop.class, ns, name, l -> phaseIn(l.getStatus(), "Succeeded", "Failed"), LOOP_TIMEOUT);
        assertEquals("Succeeded", loop.getStatus().phase, () -> describe(ns));
        assertEquals(java.util.stream.IntStream.rangeClosed(1, rounds).boxed().toList(),
                loop.getStatus().history.stream().map(h -> h.round).toList(), "one history entry per round");
        assertOneConditionPerType(loop.getStatus());
        return loop;
    }

    /** Each distinct Event on the object once: a transition told twice means a status written twice. */
    void assertNoRepeatedEvents(String ns, String kind, String name) {
        List<Event> events = client.v1().events().inNamespace(ns).withField("involvedObject.name", name)
                .withField("involvedObject.kind", kind).list().getItems();
        Map<String, Long> messages = events.stream().collect(Collectors.groupingBy(e -> e.getReason() + ": " + e.getMessage(), Collectors.counting()));
        assertTrue(messages.values().stream().allMatch(n -> n == 1), kind + " " + name + " told a transition twice: " + messages);
    }

    static void assertOneConditionPerType(WinnowStatus status) {
        Map<String, Long> perType = status.conditions.stream().collect(Collectors.groupingBy(Condition::getType, Collectors.counting()));
        assertTrue(perType.values().stream().allMatch(n -> n == 1), "one condition per type: " + perType);
    }

    static boolean phaseIn(WinnowStatus status, String... phases) {
        return status != null && List.of(phases).contains(status.phase);
    }

    String describe(String ns) {
        try {
            return cluster.kubectl("-n", ns, "get", "winnow,jobs,pods", "-o", "wide") + "\n"
                    + cluster.kubectl("-n", ns, "get", "events", "--sort-by=.lastTimestamp") + "\n"
                    + cluster.kubectl("-n", namespace, "get", "pods,lease", "-o", "wide") + "\n"
                    + leader().map(p -> cluster.kubectl("-n", namespace, "logs", p.getMetadata().getName(), "--tail=40")).orElse("(no leader)");
        } catch (RuntimeException e) {
            return "(cannot describe " + ns + ": " + e.getMessage() + ")";
        }
    }
}
