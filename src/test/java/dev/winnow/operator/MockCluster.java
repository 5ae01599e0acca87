package dev.winnow.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.stream.Stream;

/**
 * A Kubernetes API for tests: the Fabric8 mock server in CRUD mode with Winnow's CRDs registered
 * (so /status is a subresource), a client, and the operator, which tests may stop and start again.
 */
final class MockCluster implements AutoCloseable {
    static final String NAMESPACE = "ml";

    final KubernetesMockServer server;
    final KubernetesClient client;
    private Operator operator;

    MockCluster() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        try (Stream<Path> crds = Files.list(Path.of("crds"))) {
            for (Path crd : crds.toList()) {
                client.apiextensions().v1().customResourceDefinitions()
                        .resource(Serialization.unmarshal(Files.readString(crd), CustomResourceDefinition.class)).create();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    MockCluster startOperator() {
        operator = WinnowOperator.create(client, OperatorSettings.defaults());
        operator.start();
        return this;
    }

    void stopOperator() {
        if (operator != null) {
            operator.stop();
            operator = null;
        }
    }

    @Override
    public void close() {
        stopOperator();
        client.close();
        server.destroy();
    }
}
