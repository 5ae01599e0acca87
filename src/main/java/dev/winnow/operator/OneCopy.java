package dev.winnow.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;

/**
 * An informer store that keeps the instance another such store already holds for the same object version (kind,
 * uid and resourceVersion) instead of its own copy. JOSDK gives every controller its own informers, so one
 * TrainingRun is cached by four (its controller's, the loop's children, the round's references, the resume
 * sources) and a Dataset by four, each deserialized separately from its own watch; with these stores they
 * share one instance. Cached objects are only read: JOSDK clones a primary before its reconcile, and Winnow
 * reads secondaries without changing them.
 *
 * <p>Only for informers that watch all namespaces or one: JOSDK hands the same store to the informer of every
 * watched namespace, and an informer's relist drops the keys it did not list, which would include the other
 * namespaces' objects ({@link #appliesTo}).
 */
final class OneCopy<R extends HasMetadata> implements ItemStore<R> {
    private static final Interner INTERNER = new Interner();

    private final ConcurrentMap<String, R> items = new ConcurrentHashMap<>();

    /**
     * Whether informers over these namespaces may use such a store: one informer watches them, for all namespaces
     * (JOSDK's set of one marker, or Winnow's empty setting) or for a single one.
     */
    static boolean appliesTo(Set<String> namespaces) {
        return namespaces.size() <= 1;
    }

    @Override
    public String getKey(R object) {
        return Cache.metaNamespaceKeyFunc(object);
    }

    @Override
    public R put(String key, R object) {
        return items.put(key, INTERNER.intern(object));
    }

    @Override
    public R remove(String key) {
        return items.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<R> values() {
        return items.values().stream();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public R get(String key) {
        return items.get(key);
    }

    /** The live instance of each object version any store holds; weakly, so a version no store holds goes. */
    static final class Interner {
        private final ConcurrentMap<String, Held> held = new ConcurrentHashMap<>();
        private final ReferenceQueue<HasMetadata> gone = new ReferenceQueue<>();

        @SuppressWarnings("unchecked")
        <R extends HasMetadata> R intern(R object) {
            expunge();
            var meta = object.getMetadata();
            if (meta == null || meta.getUid() == null || meta.getResourceVersion() == null) {
                return object;
            }
            String key = object.getKind() + "/" + meta.getUid() + "/" + meta.getResourceVersion();
            while (true) {
                Held ref = held.get(key);
                if (ref == null) {
                    if (held.putIfAbsent(key, new Held(key, object, gone)) == null) {
                        return object;
                    }
                    continue;
                }
                HasMetadata kept = ref.get();
                if (kept == null) {
                    held.remove(key, ref);
                } else {
                    return kept.getClass() == object.getClass() ? (R) kept : object;
                }
            }
        }

        private void expunge() {
            for (var ref = gone.poll(); ref != null; ref = gone.poll()) {
                held.remove(((Held) ref).key, ref);
            }
        }
    }

    private static final class Held extends WeakReference<HasMetadata> {
        final String key;

        Held(String key, HasMetadata object, ReferenceQueue<HasMetadata> queue) {
            super(object, queue);
            this.key = key;
        }
    }
}
