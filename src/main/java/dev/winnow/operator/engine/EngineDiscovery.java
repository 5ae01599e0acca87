package dev.winnow.operator.engine;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether this cluster serves an engine's API, from API discovery. An answer is kept a while so a
 * reconcile does not ask every time: "served" for ten minutes, "not served" for half a minute, so a CRD
 * installed after the TrainingRun is found on a later reconcile.
 */
public final class EngineDiscovery {
    static final Duration SERVED_FOR = Duration.ofMinutes(10);
    static final Duration NOT_SERVED_FOR = Duration.ofSeconds(30);

    private record Answer(boolean served, Instant until) {
    }

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<EngineApi, Answer> answers = new ConcurrentHashMap<>();

    public EngineDiscovery(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public boolean served(EngineApi api) {
        Instant now = clock.instant();
        Answer known = answers.get(api);
        if (known != null && now.isBefore(known.until())) {
            return known.served();
        }
        boolean served = client.supports(api.apiVersion(), api.kind());
        answers.put(api, new Answer(served, now.plus(served ? SERVED_FOR : NOT_SERVED_FOR)));
        return served;
    }

    /** The API server said 404 for the engine's resources: the CRD went away; ask again next time. */
    void forget(EngineApi api) {
        answers.remove(api);
    }
}
