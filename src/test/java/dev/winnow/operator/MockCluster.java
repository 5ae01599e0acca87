package dev.winnow.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.stream.Stream;

/**
 * A Kubernetes API for tests: the Fabric8 mock server in CRUD mode with Winnow's CRDs registered
 * (so /status is a subresource), a client, and the operator, which tests may stop and start again.
 * Tests of high availability start more operators beside it, with leader election.
 */
final class MockCluster implements AutoCloseable {
    static final String NAMESPACE = "ml";
    /** The verbs on leases JOSDK checks for before it runs for leader (what the chart's Role grants). */
    static final List<String> LEASE_VERBS = List.of("get", "create", "update");

    final KubernetesMockServer server;
    final KubernetesClient client;
    private Operator operator;
    private final List<Operator> others = new ArrayList<>();

    MockCluster() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
        server.init();
        // a review is computed by the API server's authorizer, which the mock server lacks: answer as the chart's RBAC would
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().withIncomplete(false)
                        .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases").withVerbs(LEASE_VERBS)
                        .endResourceRule().endStatus().build())
                .always();
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

    /** One more operator, with leader election on the given Lease if any, its metrics in the given registry. */
    Operator startAnother(Optional<LeaderElection> leaderElection, MeterRegistry registry) {
        Operator another = WinnowOperator.create(client, OperatorSettings.defaults(), leaderElection, registry);
        others.add(another);
        another.start();
        return another;
    }

    @Override
    public void close() {
        stopOperator();
        others.forEach(Operator::stop);
        client.close();
        server.destroy();
    }
}
