package dev.winnow.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Waits at start until the API server answers, so an operator that starts during an API-server outage (or
 * restarts because of one) waits for it instead of exiting into the kubelet's crash back-off. Only an
 * unreachable server is waited for: an answer that refuses us (401, 403) is a mistake to report at once.
 */
public final class ApiServerWait {
    private static final Logger LOG = Logger.getLogger(ApiServerWait.class);

    private ApiServerWait() {
    }

    /** Returns once {@code /version} answers; logs a warning at the first failure and every {@code logEvery}. */
    public static void until(KubernetesClient client, Duration retry, Duration logEvery) {
        long start = System.nanoTime();
        long lastLog = Long.MIN_VALUE;
        while (true) {
            try {
                client.getKubernetesVersion();
                if (lastLog != Long.MIN_VALUE) {
                    LOG.infof("the API server at %s answers after %d s", client.getMasterUrl(), seconds(start));
                }
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() >= 400) {
                    throw e;
                }
                if (lastLog == Long.MIN_VALUE || System.nanoTime() - lastLog >= logEvery.toNanos()) {
                    lastLog = System.nanoTime();
                    LOG.warnf("the API server at %s does not answer (%s); waiting for it (%d s so far)", client.getMasterUrl(),
                            rootMessage(e), seconds(start));
                }
            }
            try {
                Thread.sleep(retry.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the API server", e);
            }
        }
    }

    private static long seconds(long start) {
        return (System.nanoTime() - start) / 1_000_000_000L;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
