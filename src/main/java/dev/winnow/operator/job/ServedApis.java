package dev.winnow.operator.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

/**
 * Whether this cluster serves an API that comes with an add-on (a training engine, Kueue), from API
 * discovery. An answer is kept a while so a reconcile does not ask every time: "served" for ten
 * minutes, "not served" for a short while (the operator's engine poll), so a CRD installed later is
 * found on a later reconcile.
 */
public final class ServedApis {
    public static final Duration SERVED_FOR = Duration.ofMinutes(10);

    private record Answer(boolean served, Instant until) {
    }

    private final BiPredicate<String, String> discovery;
    private final Clock clock;
    private final Duration notServedFor;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    /**
     * @param discovery    asks the API server, e.g. {@code client::supports} (apiVersion, kind)
     * @param notServedFor how long "not served" is believed before discovery is asked again
     */
    public ServedApis(BiPredicate<String, String> discovery, Clock clock, Duration notServedFor) {
        this.discovery = discovery;
        this.clock = clock;
        this.notServedFor = notServedFor;
    }

    public Duration notServedFor() {
        return notServedFor;
    }

    /** @param apiVersion group/version, e.g. kubeflow.org/v1 */
    public boolean served(String apiVersion, String kind) {
        String key = apiVersion + "/" + kind;
        Instant now = clock.instant();
        Answer known = answers.get(key);
        if (known != null && now.isBefore(known.until())) {
            return known.served();
        }
        boolean served = discovery.test(apiVersion, kind);
        answers.put(key, new Answer(served, now.plus(served ? SERVED_FOR : notServedFor)));
        return served;
    }

    /** The API server said 404 for the API's resources: its CRD went away; ask again next time. */
    public void forget(String apiVersion, String kind) {
        answers.remove(apiVersion + "/" + kind);
    }
}
