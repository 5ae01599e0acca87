package dev.winnow.local.demo;

import io.fabric8.kubernetes.client.KubernetesClient;

/** Starts the control plane against the embedded API; the demo passes Winnow's operator, tests a stand-in. */
@FunctionalInterface
public interface OperatorStarter {
    /** @return what stops it again */
    AutoCloseable start(KubernetesClient client, String workerImage) throws Exception;
}
