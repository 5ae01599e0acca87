package dev.winnow.local.api;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;

/**
 * An in-process Kubernetes API for the demo: the Fabric8 mock server in CRUD mode with Winnow's CRDs registered
 * (so {@code /status} is a subresource, as on a cluster), fronted by a {@link KubectlGateway} so that kubectl can
 * discover, print and watch what the operator does. Both listen on 127.0.0.1 only.
 */
public final class EmbeddedApiServer implements AutoCloseable {
    public static final String NAMESPACE = "default";
    /** Held so the setting sticks: java.util.logging keeps loggers only weakly. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        // the mock server logs every request at INFO, which would drown the demo's own output
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final KubernetesMockServer mock;
    private final KubernetesClient client;
    private final KubectlGateway gateway;
    private final Path kubeconfig;
    private final Thread drain;

    private EmbeddedApiServer(KubernetesMockServer mock, KubernetesClient client, KubectlGateway gateway,
                              Path kubeconfig, Thread drain) {
        this.mock = mock;
        this.client = client;
        this.gateway = gateway;
        this.kubeconfig = kubeconfig;
        this.drain = drain;
    }

    /**
     * Starts the API and writes {@code <workdir>/kubeconfig}.
     *
     * @param port the port kubectl connects to; 0 picks a free one
     */
    public static EmbeddedApiServer start(Path workdir, int port) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        KubernetesMockServer mock = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
                new MockWebServer(), new HashMap<>(), new MergePatchingDispatcher(), false);
        mock.init(loopback, 0);
        // the mock server records every request for test assertions; a long demo would keep them all
        Thread drain = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    mock.takeRequest(1, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "embedded-api-drain");
        drain.setDaemon(true);
        drain.start();

        String backendUrl = "http://127.0.0.1:" + mock.getPort() + "/";
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(backendUrl).withNamespace(NAMESPACE)
                .withRequestTimeout(30_000).build();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        KubectlGateway gateway = null;
        try {
            ApiCatalog catalog = ApiCatalog.builtIn();
            for (CustomResourceDefinition crd : WinnowCrds.load()) {
                // creating the CRD through the API is what makes the mock server treat /status as a subresource
                client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
                catalog.addCrd(crd);
            }
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                    .build()).create();
            gateway = new KubectlGateway(catalog, client, URI.create(backendUrl),
                    new InetSocketAddress(loopback, port), workdir.resolve("logs"));
            Path kubeconfig = Kubeconfig.write(workdir.resolve("kubeconfig"),
                    "http://127.0.0.1:" + gateway.port(), NAMESPACE);
            return new EmbeddedApiServer(mock, client, gateway, kubeconfig, drain);
        } catch (IOException | RuntimeException e) {
            if (gateway != null) {
                gateway.close();
            }
            client.close();
            drain.interrupt();
            mock.destroy();
            throw e;
        }
    }

    /** A client for in-process use (operator, executor); it talks to the mock server directly. */
    public KubernetesClient client() {
        return client;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** Where kubectl connects. */
    public String url() {
        return "http://127.0.0.1:" + gateway.port();
    }

    public int port() {
        return gateway.port();
    }

    @Override
    public void close() {
        gateway.close();
        client.close();
        drain.interrupt();
        mock.destroy();
    }
}
