package dev.winnow.operator;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.contract.Task;
import dev.winnow.operator.status.Conditions;
import dev.winnow.operator.status.Reason;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Looks up the objects a spec names, in the primary's namespace: from an informer's cache when a controller
 * watches that kind (every reconcile reads its Dataset, and a GET each time was most of the operator's requests
 * per round), otherwise, or when the cache has not seen the object yet, from the API server.
 */
final class References {
    private final KubernetesClient client;
    private final Map<Class<?>, InformerEventSource<?, ?>> caches = new ConcurrentHashMap<>();

    References(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Reads this kind from the given informer from now on: one of the controller's own, so that a change that
     * wakes the controller is already in what it reads.
     */
    <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> readFrom(Class<R> type, InformerEventSource<R, P> informer) {
        caches.putIfAbsent(type, informer);
        return informer;
    }

    <R extends HasMetadata> Optional<R> get(Class<R> type, HasMetadata from, String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        String namespace = from.getMetadata().getNamespace();
        InformerEventSource<?, ?> cache = caches.get(type);
        if (cache != null) {
            Optional<R> cached = cache.get(new ResourceID(name, namespace)).map(type::cast);
            if (cached.isPresent()) {
                return cached;
            }
        }
        return Optional.ofNullable(client.resources(type).inNamespace(namespace).withName(name).get());
    }

    /** The resource itself (this very object, not a namesake made since) still exists. */
    boolean exists(HasMetadata resource) {
        HasMetadata current = client.resource(resource).get();
        return current != null && current.getMetadata().getUid().equals(resource.getMetadata().getUid());
    }

    /**
     * The garbage collector is taking this resource: it is being deleted, or the loop that owns it is
     * gone or going. The collector deletes a loop's rounds in any order, so a round may briefly miss
     * the one it names; that is no problem to report.
     */
    boolean beingCollected(HasMetadata resource) {
        if (resource.getMetadata().getDeletionTimestamp() != null) {
            return true;
        }
        for (OwnerReference owner : resource.getMetadata().getOwnerReferences()) {
            if (Boolean.TRUE.equals(owner.getController()) && HasMetadata.getKind(ActiveLearningLoop.class).equals(owner.getKind())
                    && HasMetadata.getApiVersion(ActiveLearningLoop.class).equals(owner.getApiVersion())) {
                ActiveLearningLoop loop = get(ActiveLearningLoop.class, resource, owner.getName()).orElse(null);
                return loop == null || !loop.getMetadata().getUid().equals(owner.getUid()) || loop.getMetadata().getDeletionTimestamp() != null;
            }
        }
        return false;
    }

    /** The Dataset a resource names when it is Ready; otherwise why the resource must wait. */
    record DatasetLookup(Dataset dataset, Reason reason, String message) {
        boolean ready() {
            return dataset != null;
        }

        /** The task of a ready Dataset (Classification when its spec leaves it out). */
        Task task() {
            return dataset.getSpec().task == null ? Task.Classification : dataset.getSpec().task;
        }
    }

    DatasetLookup readyDataset(HasMetadata from, String name) {
        Optional<Dataset> dataset = get(Dataset.class, from, name);
        if (dataset.isEmpty()) {
            return new DatasetLookup(null, Reason.DatasetNotFound,
                    "Dataset '" + name + "' not found in namespace " + from.getMetadata().getNamespace());
        }
        if (dataset.get().getStatus() == null || !Conditions.isTrue(dataset.get().getStatus(), Conditions.READY)) {
            // a Dataset stopped on a problem is not worth waiting for quietly: say its problem
            var ready = dataset.get().getStatus() == null ? Optional.<io.fabric8.kubernetes.api.model.Condition>empty()
                    : Conditions.find(dataset.get().getStatus(), Conditions.READY);
            if (ready.isPresent() && Reason.of(ready.get().getReason()).filter(r -> r.kind() == Reason.Kind.PROBLEM).isPresent()) {
                return new DatasetLookup(null, Reason.DatasetFailed, "Dataset '" + name + "' is not Ready: "
                        + ready.get().getReason() + ": " + ready.get().getMessage());
            }
            return new DatasetLookup(null, Reason.WaitingForDataset, "Dataset '" + name + "' is not Ready yet");
        }
        return new DatasetLookup(dataset.get(), null, null);
    }
}
