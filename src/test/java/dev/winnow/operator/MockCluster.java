package dev.winnow.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
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

    final EventFieldsIgnored events = new EventFieldsIgnored();
    final KubernetesMockServer server;
    final KubernetesClient client;
    private Operator operator;
    private final List<Operator> others = new ArrayList<>();

    MockCluster() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), events, false);
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
        return startOperator(OperatorSettings.defaults());
    }

    MockCluster startOperator(OperatorSettings settings) {
        operator = WinnowOperator.create(client, settings);
        operator.start();
        return this;
    }

    void stopOperator() {
        if (operator != null) {
            operator.stop();
            operator = null;
        }
    }

    /**
     * The mock matches field selectors against metadata only, so the operator's Event informer
     * (involvedObject.kind=Job, reason=FailedCreate) would see nothing. Those two requirements are
     * dropped here: the mock then sends every Event, and the operator checks both fields itself.
     */
    static final class EventFieldsIgnored extends KubernetesCrudDispatcher {
        /** The Event field selectors clients asked for, so tests can check what a real server would be asked. */
        final Set<String> asked = ConcurrentHashMap.newKeySet();
        /** Creates under these paths are refused with the given Status, as a real server's validation or admission would. */
        final java.util.Map<String, io.fabric8.kubernetes.api.model.Status> refused = new ConcurrentHashMap<>();

        @Override
        public MockResponse handleGet(String path) {
            return super.handleGet(path.contains("/events?") ? withoutEventFields(path) : path);
        }

        String withoutEventFields(String path) {
            int q = path.indexOf('?');
            List<String> params = new ArrayList<>();
            for (String param : path.substring(q + 1).split("&")) {
                if (!param.startsWith("fieldSelector=")) {
                    params.add(param);
                    continue;
                }
                String selector = URLDecoder.decode(param.substring("fieldSelector=".length()), StandardCharsets.UTF_8);
                asked.add(selector);
                String kept = Arrays.stream(selector.split(","))
                        .filter(r -> !r.startsWith("involvedObject.") && !r.startsWith("reason"))
                        .collect(Collectors.joining(","));
                if (!kept.isEmpty()) {
                    params.add("fieldSelector=" + URLEncoder.encode(kept, StandardCharsets.UTF_8));
                }
            }
            return path.substring(0, q) + (params.isEmpty() ? "" : "?" + String.join("&", params));
        }

        /**
         * A review is computed by the API server's authorizer, which the mock server lacks: answer as the
         * chart's RBAC would (JOSDK asks before it runs for leader). Creates a test made {@link #refused}
         * get the Status it set.
         */
        @Override
        public MockResponse handleCreate(RecordedRequest request) {
            for (var refusal : refused.entrySet()) {
                if (request.getPath().startsWith(refusal.getKey())) {
                    return new MockResponse().setResponseCode(refusal.getValue().getCode())
                            .setBody(Serialization.asJson(refusal.getValue()));
                }
            }
            if (request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
                return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(new SelfSubjectRulesReviewBuilder()
                        .withNewStatus().withIncomplete(false)
                        .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases").withVerbs(LEASE_VERBS)
                        .endResourceRule().endStatus().build()));
            }
            return super.handleCreate(request);
        }
    }

    /** One more operator, with leader election on the given Lease if any, its metrics in the given registry. */
    Operator startAnother(Optional<LeaderElection> leaderElection, MeterRegistry registry) {
        Operator another = WinnowOperator.create(client, OperatorSettings.defaults(), leaderElection, registry);
        others.add(another);
        another.start();
        return another;
    }

    /** From now on the API server refuses every create under {@code path} with {@code code} and the given message. */
    void refuseCreates(String path, int code, String group, String kind, String message) {
        events.refused.put(path, new io.fabric8.kubernetes.api.model.StatusBuilder().withStatus("Failure").withCode(code)
                .withReason(code == 422 ? "Invalid" : "Forbidden").withMessage(message)
                .withNewDetails().withGroup(group).withKind(kind).endDetails().build());
    }

    @Override
    public void close() {
        stopOperator();
        others.forEach(Operator::stop);
        client.close();
        server.destroy();
    }
}
