package dev.winnow.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.api.v1alpha1.TrainingRun;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OneCopyTest {
    private static final KubernetesSerialization JSON = LeanJson.serialization();
    private final String uid = UUID.randomUUID().toString();

    /** As each informer gets it: its own deserialized copy of what the API server sent. */
    private TrainingRun read(String name, String resourceVersion) {
        return JSON.unmarshal("""
                {"apiVersion": "winnow.dev/v1alpha1", "kind": "TrainingRun",
                 "metadata": {"name": "%s", "namespace": "ml", "uid": "%s", "resourceVersion": "%s"},
                 "spec": {"datasetRef": "pool"}, "status": {"phase": "Running"}}
                """.formatted(name, uid, resourceVersion), TrainingRun.class);
    }

    @Test
    void storesOfDifferentInformersHoldOneInstanceOfAVersion() {
        OneCopy<TrainingRun> controller = new OneCopy<>();
        OneCopy<TrainingRun> loopChildren = new OneCopy<>();
        TrainingRun first = read("r1", "7");
        TrainingRun second = read("r1", "7");
        assertNotSame(first, second);
        controller.put(controller.getKey(first), first);
        loopChildren.put(loopChildren.getKey(second), second);

        assertEquals("ml/r1", controller.getKey(first));
        assertSame(controller.get("ml/r1"), loopChildren.get("ml/r1"), "one instance for both informers");
        assertEquals("Running", loopChildren.get("ml/r1").getStatus().phase);
    }

    @Test
    void aNewVersionIsItsOwnInstanceAndReplacesTheOld() {
        OneCopy<TrainingRun> a = new OneCopy<>();
        OneCopy<TrainingRun> b = new OneCopy<>();
        a.put("ml/r1", read("r1", "7"));
        TrainingRun old = b.put("ml/r1", read("r1", "7"));
        assertNull(old);
        TrainingRun newer = read("r1", "8");
        assertSame(a.get("ml/r1"), b.put("ml/r1", newer), "put answers the version it replaced");
        assertSame(newer, b.get("ml/r1"));
        assertNotSame(a.get("ml/r1"), b.get("ml/r1"), "the other informer has not seen version 8 yet");
        assertEquals("7", a.get("ml/r1").getMetadata().getResourceVersion());
    }

    @Test
    void aStoreBehavesAsAnInformersMap() {
        OneCopy<TrainingRun> store = new OneCopy<>();
        store.put("ml/r1", read("r1", "7"));
        store.put("ml/r2", read("r2", "9"));
        assertEquals(2, store.size());
        assertEquals(List.of("ml/r1", "ml/r2"), store.keySet().sorted().toList());
        assertEquals(2, store.values().count());
        assertEquals("r1", store.remove("ml/r1").getMetadata().getName());
        assertNull(store.get("ml/r1"));
        assertEquals(1, store.size());
        assertTrue(store.isFullState(), "holds whole objects: the informer may hand them out");
    }

    @Test
    void anObjectWithoutUidOrVersionIsKeptAsGiven() {
        OneCopy<TrainingRun> a = new OneCopy<>();
        OneCopy<TrainingRun> b = new OneCopy<>();
        TrainingRun x = JSON.unmarshal("""
                {"apiVersion": "winnow.dev/v1alpha1", "kind": "TrainingRun", "metadata": {"name": "r1", "namespace": "ml"}}
                """, TrainingRun.class);
        TrainingRun y = JSON.unmarshal("""
                {"apiVersion": "winnow.dev/v1alpha1", "kind": "TrainingRun", "metadata": {"name": "r1", "namespace": "ml"}}
                """, TrainingRun.class);
        a.put("ml/r1", x);
        b.put("ml/r1", y);
        assertSame(x, a.get("ml/r1"));
        assertSame(y, b.get("ml/r1"));
    }

    /** JOSDK gives every namespace's informer the same store; a relist there would drop the other namespaces. */
    @Test
    void onlyWhereOneInformerWatches() {
        assertTrue(OneCopy.appliesTo(Set.of()), "Winnow's setting for all namespaces");
        assertTrue(OneCopy.appliesTo(Set.of(Constants.WATCH_ALL_NAMESPACES)), "JOSDK's");
        assertTrue(OneCopy.appliesTo(Set.of("team-a")));
        assertFalse(OneCopy.appliesTo(Set.of("team-a", "team-b")));
    }
}
