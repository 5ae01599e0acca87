package dev.winnow.local.api;

import dev.winnow.Needs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedApiServerTest {
    private static final ResourceDefinitionContext LOOPS = new ResourceDefinitionContext.Builder()
            .withGroup("winnow.dev").withVersion("v1alpha1").withKind("ActiveLearningLoop")
            .withPlural("activelearningloops").withNamespaced(true).build();

    @TempDir
    static Path workdir;
    static EmbeddedApiServer api;

    @BeforeAll
    static void start() throws IOException {
        api = EmbeddedApiServer.start(workdir, 0);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void writesAKubeconfigPointingAtTheGateway() throws IOException {
        String kubeconfig = Files.readString(api.kubeconfig());
        assertEquals(workdir.resolve("kubeconfig"), api.kubeconfig());
        assertTrue(kubeconfig.contains("server: " + api.url()), kubeconfig);
        assertTrue(api.url().startsWith("http://127.0.0.1:"));
    }

    @Test
    void statusIsASubresourceOfWinnowTypes() {
        KubernetesClient c = api.client();
        createLoop("status-sub");
        // a spec write carrying a status must not change the status, as on a cluster
        GenericKubernetesResource loop = c.genericKubernetesResources(LOOPS).withName("status-sub").get();
        loop.setAdditionalProperty("status", java.util.Map.of("phase", "Bogus"));
        c.genericKubernetesResources(LOOPS).resource(loop).update();
        assertEquals(null, c.genericKubernetesResources(LOOPS).withName("status-sub").get()
                .getAdditionalProperties().get("status"));
        patchStatus("status-sub", "{\"status\":{\"phase\":\"Running\"}}");
        assertEquals("Running", ((java.util.Map<?, ?>) c.genericKubernetesResources(LOOPS).withName("status-sub").get()
                .getAdditionalProperties().get("status")).get("phase"));
    }

    @Test
    void mergePatchReplacesListsAsRfc7386Says() {
        createLoop("merged");
        patchStatus("merged", "{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}");
        patchStatus("merged", "{\"status\":{\"phase\":null,\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");
        Object status = api.client().genericKubernetesResources(LOOPS).withName("merged").get()
                .getAdditionalProperties().get("status");
        assertEquals(java.util.Map.of("conditions", List.of(java.util.Map.of("type", "Ready", "status", "True"))), status);
    }

    @Test
    void kubectlPrintsTheLoopsPrinterColumns() throws Exception {
        Path kubectl = Needs.kubectl();
        createLoop("printed");
        patchStatus("printed", "{\"status\":{\"phase\":\"Running\",\"round\":2,\"labeled\":400,\"lastMetric\":0.8125}}");

        List<String> lines = kubectl(kubectl, "get", "activelearningloops");
        String header = lines.get(0);
        for (String column : List.of("NAME", "PHASE", "ROUND", "LABELED", "LAST METRIC", "AGE")) {
            assertTrue(header.contains(column), header);
        }
        String row = lines.stream().filter(l -> l.startsWith("printed ")).findFirst().orElseThrow();
        assertEquals(List.of("printed", "Running", "2", "400", "0.8125"), List.of(row.split("\\s+")).subList(0, 5), row);
        assertTrue(row.matches(".*\\s\\d+s$"), "age like kubectl's: " + row);
    }

    @Test
    void kubectlPrintsJobColumns() throws Exception {
        Path kubectl = Needs.kubectl();
        Job job = new JobBuilder().withNewMetadata().withName("printed-job").endMetadata()
                .withNewSpec().withCompletions(2).withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("step").withImage("winnow-worker").endContainer()
                .endSpec().endTemplate().endSpec().build();
        api.client().batch().v1().jobs().resource(job).create();
        api.client().batch().v1().jobs().withName("printed-job").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\":{\"succeeded\":1,\"active\":1,\"startTime\":\"2020-01-01T00:00:00Z\"}}");

        List<String> lines = kubectl(kubectl, "get", "jobs");
        assertTrue(lines.get(0).matches("NAME\\s+STATUS\\s+COMPLETIONS\\s+DURATION\\s+AGE"), lines.get(0));
        String row = lines.stream().filter(l -> l.startsWith("printed-job ")).findFirst().orElseThrow();
        assertTrue(row.matches("printed-job\\s+Running\\s+1/2\\s+\\S+\\s+\\d+s"), row);
    }

    @Test
    void kubectlWatchShowsStatusChangesAsRows() throws Exception {
        Path kubectl = Needs.kubectl();
        createLoop("watched");
        Process watch = new ProcessBuilder(kubectl.toString(), "--kubeconfig", api.kubeconfig().toString(),
                "get", "activelearningloops", "-w").redirectErrorStream(true).start();
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
                    r.lines().forEach(lines::add);
                } catch (IOException ignored) {
                    // the process was killed
                }
            });
            reader.setDaemon(true);
            reader.start();
            awaitLine(lines, l -> l.startsWith("watched "), "the initial list");
            patchStatus("watched", "{\"status\":{\"phase\":\"Succeeded\",\"round\":3}}");
            String updated = awaitLine(lines, l -> l.startsWith("watched ") && l.contains("Succeeded"), "the update");
            assertTrue(updated.matches("watched\\s+Succeeded\\s+3\\s+.*"), updated);
        } finally {
            watch.destroyForcibly();
        }
    }

    private static String awaitLine(BlockingQueue<String> lines, java.util.function.Predicate<String> match, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String l = lines.poll(200, TimeUnit.MILLISECONDS);
            if (l != null) {
                seen.add(l);
                if (match.test(l)) {
                    return l;
                }
            }
        }
        throw new AssertionError("kubectl -w did not print " + what + "; it printed " + seen);
    }

    private static void createLoop(String name) {
        GenericKubernetesResource loop = Serialization.unmarshal("""
                apiVersion: winnow.dev/v1alpha1
                kind: ActiveLearningLoop
                metadata: {name: %s}
                spec: {datasetRef: fashion}
                """.formatted(name), GenericKubernetesResource.class);
        assertNotNull(api.client().resource(loop).create());
    }

    private static void patchStatus(String name, String mergePatch) {
        api.client().genericKubernetesResources(LOOPS).withName(name).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
    }

    private static List<String> kubectl(Path kubectl, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", api.kubeconfig().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }
}
