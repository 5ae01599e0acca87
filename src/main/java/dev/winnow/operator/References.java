package dev.winnow.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Optional;

/** Looks up the objects a spec names, in the primary's namespace. */
final class References {
    private final KubernetesClient client;

    References(KubernetesClient client) {
        this.client = client;
    }

    <R extends HasMetadata> Optional<R> get(Class<R> type, HasMetadata from, String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(client.resources(type).inNamespace(from.getMetadata().getNamespace()).withName(name).get());
    }
}
