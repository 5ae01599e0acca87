package dev.winnow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import dev.winnow.cli.WinnowCommand;
import dev.winnow.operator.OperatorSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chart is rendered and linted by the Helm engine itself (helm-java), as `helm lint` and `helm template` would. */
class HelmChartTest {
    static final Path CHART = Path.of("helm/winnow");

    @Test
    void chartLintsClean() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertFalse(result.isFailed(), String.join("\n", result.getMessages()));
    }

    @Test
    void defaultInstallWatchesAllNamespacesWithTheWorkerImageOfItsVersion() {
        List<HasMetadata> objects = render(Map.of());
        Deployment deployment = only(objects, Deployment.class);
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("ghcr.io/winnow-dev/winnow-operator:0.2.0", container.getImage());
        assertEquals(List.of("operator"), container.getArgs());
        Map<String, String> env = container.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(e -> e.getName(), e -> e.getValue()));
        assertEquals("ghcr.io/winnow-dev/winnow-worker:0.2.0", env.get("WINNOW_WORKER_IMAGE"));
        assertEquals("", env.get("WINNOW_NAMESPACES"));
        assertTrue(container.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals("/healthz", container.getLivenessProbe().getHttpGet().getPath());

        ClusterRole role = named(objects, ClusterRole.class, "winnow");
        assertTrue(role.getRules().stream().anyMatch(r -> r.getResources().contains("jobs") && r.getVerbs().contains("create")));
        assertTrue(role.getRules().stream().anyMatch(r -> r.getResources().contains("activelearningloops/status") && r.getVerbs().contains("patch")));
        assertTrue(role.getRules().stream().noneMatch(r -> r.getResources().contains("secrets")), "the operator reads no secrets");
        assertTrue(role.getRules().stream().anyMatch(r -> r.getResources().contains("events")
                && r.getVerbs().containsAll(List.of("create", "list", "watch"))), "it watches FailedCreate Events of its Jobs");
        assertTrue(objects.stream().noneMatch(o -> o instanceof Role && !o.getMetadata().getName().endsWith("-leader-election")));
    }

    @Test
    void twoReplicasRunWithLeaderElectionLeaseRbacAndAMetricsPort() {
        List<HasMetadata> objects = render(Map.of("replicaCount", "2"));
        Deployment deployment = only(objects, Deployment.class);
        assertEquals(2, deployment.getSpec().getReplicas());
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, EnvVar> env = container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertEquals("true", env.get("WINNOW_LEADER_ELECTION").getValue());
        assertEquals("winnow", env.get("WINNOW_LEASE_NAME").getValue());
        assertEquals("metadata.namespace", env.get("WINNOW_LEASE_NAMESPACE").getValueFrom().getFieldRef().getFieldPath(),
                "the Lease lives in the pod's namespace (downward API)");
        assertEquals("8080", env.get("WINNOW_HTTP_PORT").getValue());
        assertEquals(List.of(8080), container.getPorts().stream().map(p -> p.getContainerPort()).toList());
        assertEquals("http", container.getReadinessProbe().getHttpGet().getPort().getStrVal());

        Role lease = leaseRole(objects);
        assertEquals("winnow-system", lease.getMetadata().getNamespace());
        Set<String> verbs = lease.getRules().stream().filter(r -> r.getApiGroups().contains("coordination.k8s.io")
                        && r.getResources().contains("leases")
                        && (r.getResourceNames().isEmpty() || r.getResourceNames().contains("winnow")))
                .flatMap(r -> r.getVerbs().stream()).collect(Collectors.toSet());
        assertTrue(verbs.containsAll(dev.winnow.operator.LeaderElection.LEASE_VERBS),
                "what the elector does to the Lease (Fabric8 renews with PATCH): " + verbs);
        RoleBinding binding = objects.stream().filter(o -> o instanceof RoleBinding).map(o -> (RoleBinding) o)
                .filter(b -> b.getRoleRef().getName().equals(lease.getMetadata().getName())).findFirst().orElseThrow();
        assertEquals("winnow", binding.getSubjects().get(0).getName());

        Service service = only(objects, Service.class);
        assertEquals("metrics", service.getSpec().getPorts().get(0).getName());
        assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), service.getSpec().getSelector());
        assertTrue(objects.stream().noneMatch(o -> "ServiceMonitor".equals(o.getKind())), "off by default");

        // a drain evicts one at a time, and the two prefer different nodes: one node's loss leaves a standby
        PodDisruptionBudget budget = only(objects, PodDisruptionBudget.class);
        assertEquals(1, budget.getSpec().getMaxUnavailable().getIntVal());
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), budget.getSpec().getSelector().getMatchLabels());
        var spread = deployment.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution().get(0).getPodAffinityTerm();
        assertEquals("kubernetes.io/hostname", spread.getTopologyKey());
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), spread.getLabelSelector().getMatchLabels());
    }

    @Test
    void oneReplicaGetsNoDisruptionBudgetThatWouldBlockDrainsAndOwnAffinityWins() {
        List<HasMetadata> single = render(Map.of());
        assertTrue(single.stream().noneMatch(o -> o instanceof PodDisruptionBudget), "maxUnavailable 1 of 1 would not protect, 0 would block drains");
        assertNull(only(single, Deployment.class).getSpec().getTemplate().getSpec().getAffinity());
        assertTrue(render(Map.of("replicaCount", "3", "podDisruptionBudget.enabled", "false")).stream()
                .noneMatch(o -> o instanceof PodDisruptionBudget));
        var own = only(render(Map.of("replicaCount", "2", "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                + ".nodeSelectorTerms[0].matchExpressions[0].key", "pool")), Deployment.class).getSpec().getTemplate().getSpec().getAffinity();
        assertNull(own.getPodAntiAffinity(), "the user's affinity replaces the default spread");
        assertEquals("pool", own.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0)
                .getMatchExpressions().get(0).getKey());
    }

    @Test
    void serviceMonitorScrapesTheMetricsPortWhenAsked() {
        List<HasMetadata> objects = render(Map.of("metrics.serviceMonitor.enabled", "true",
                "metrics.serviceMonitor.labels.release", "kube-prometheus-stack"));
        var monitor = (GenericKubernetesResource) objects.stream().filter(o -> "ServiceMonitor".equals(o.getKind())).findFirst().orElseThrow();
        assertEquals("kube-prometheus-stack", monitor.getMetadata().getLabels().get("release"));
        assertEquals("metrics", monitor.get("spec", "endpoints", 0, "port"));
        assertEquals("/metrics", monitor.get("spec", "endpoints", 0, "path"));
        Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
        Service service = only(objects, Service.class);
        assertTrue(service.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()), "the monitor selects the Service");
    }

    @Test
    void serviceMonitorWithoutTheServiceIsRefusedSayingWhy() {
        var error = assertThrows(IllegalStateException.class, () -> render(Map.of("metrics.serviceMonitor.enabled", "true",
                "metrics.service.enabled", "false")));
        assertTrue(error.getMessage().contains("metrics.serviceMonitor.enabled needs metrics.service.enabled"), error.getMessage());
    }

    @Test
    void leaderElectionOffRendersNoLeaseRole() {
        List<HasMetadata> objects = render(Map.of("leaderElection.enabled", "false"));
        assertTrue(objects.stream().noneMatch(o -> o.getMetadata().getName().endsWith("-leader-election")));
        var env = only(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertTrue(env.stream().anyMatch(e -> e.getName().equals("WINNOW_LEADER_ELECTION") && e.getValue().equals("false")));
    }

    private static Role leaseRole(List<HasMetadata> objects) {
        return objects.stream().filter(o -> o instanceof Role && o.getMetadata().getName().endsWith("-leader-election"))
                .map(o -> (Role) o).findFirst().orElseThrow(() -> new AssertionError("no lease Role"));
    }

    @Test
    void namespacedInstallGetsOneRolePerNamespaceAndNoClusterRole() {
        List<HasMetadata> objects = render(Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b",
                "worker.repository", "registry.local/winnow-worker-cuda"));
        List<Role> roles = objects.stream().filter(o -> o instanceof Role).map(o -> (Role) o)
                .filter(r -> !r.getMetadata().getName().endsWith("-leader-election")).toList();
        assertEquals(List.of("team-a", "team-b"), roles.stream().map(r -> r.getMetadata().getNamespace()).toList());
        assertEquals("winnow-system", leaseRole(objects).getMetadata().getNamespace(), "the Lease stays in the operator's namespace");
        assertTrue(objects.stream().noneMatch(o -> o instanceof ClusterRole && o.getMetadata().getName().equals("winnow")),
                "the operator gets no ClusterRole");
        var env = only(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertTrue(env.stream().anyMatch(e -> e.getName().equals("WINNOW_NAMESPACES") && e.getValue().equals("team-a,team-b")));
        assertTrue(env.stream().anyMatch(e -> e.getName().equals("WINNOW_WORKER_IMAGE") && e.getValue().equals("registry.local/winnow-worker-cuda:0.2.0")),
                "the CUDA worker is another repository with the same tags");
    }

    /** Helm installs crds/ once; the operator upgrades them at start, with a ClusterRole for those four CRDs alone. */
    @Test
    void theOperatorUpgradesItsCrdsByDefaultWithRightsOnThoseFourOnly() throws IOException {
        List<HasMetadata> objects = render(Map.of());
        var env = only(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertTrue(env.stream().anyMatch(e -> e.getName().equals("WINNOW_APPLY_CRDS") && e.getValue().equals("true")));
        ClusterRole crds = named(objects, ClusterRole.class, "winnow-crds");
        assertEquals(1, crds.getRules().size());
        var rule = crds.getRules().get(0);
        assertEquals(List.of("get", "patch"), rule.getVerbs());
        List<String> committed;
        try (var files = Files.list(Path.of("crds"))) {
            committed = files.map(f -> f.getFileName().toString().replace("-v1.yml", "")).sorted().toList();
        }
        assertEquals(committed, rule.getResourceNames().stream().sorted().toList(), "rights on exactly the CRDs the operator applies");

        List<HasMetadata> off = render(Map.of("crds.apply", "false"));
        assertTrue(only(off, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .anyMatch(e -> e.getName().equals("WINNOW_APPLY_CRDS") && e.getValue().equals("false")));
        assertTrue(off.stream().noneMatch(o -> o.getMetadata().getName().equals("winnow-crds")), "no rights on CRDs when not asked");
    }

    @Test
    void trainingEnginesAndKueueWorkloadsGetRbacOnlyWhenAsked() {
        ClusterRole plain = named(render(Map.of()), ClusterRole.class, "winnow");
        assertTrue(plain.getRules().stream().noneMatch(r -> r.getApiGroups().stream()
                .anyMatch(g -> g.equals("kubeflow.org") || g.equals("trainer.kubeflow.org") || g.equals("kueue.x-k8s.io"))),
                "no rights on engines the cluster may not have");

        ClusterRole engines = named(render(Map.of("trainingEngines.pytorchJob", "true", "trainingEngines.trainJob", "true",
                "kueue.workloads", "true")), ClusterRole.class, "winnow");
        assertTrue(engines.getRules().stream().anyMatch(r -> r.getApiGroups().equals(List.of("kubeflow.org"))
                && r.getResources().equals(List.of("pytorchjobs")) && r.getVerbs().containsAll(List.of("get", "list", "create"))));
        assertTrue(engines.getRules().stream().anyMatch(r -> r.getApiGroups().equals(List.of("trainer.kubeflow.org"))
                && r.getResources().equals(List.of("trainjobs")) && r.getVerbs().containsAll(List.of("get", "list", "create"))));
        assertTrue(engines.getRules().stream().anyMatch(r -> r.getApiGroups().equals(List.of("kueue.x-k8s.io"))
                && r.getResources().equals(List.of("workloads")) && r.getVerbs().equals(List.of("get", "list"))));

        List<Role> namespaced = render(Map.of("watchNamespaces[0]", "team-a", "trainingEngines.pytorchJob", "true")).stream()
                .filter(o -> o instanceof Role && o.getMetadata().getNamespace().equals("team-a")).map(o -> (Role) o).toList();
        assertTrue(namespaced.get(0).getRules().stream().anyMatch(r -> r.getResources().equals(List.of("pytorchjobs"))),
                "a namespaced install grants the engine in each namespace it serves");
        assertRefused(Map.of("trainingEngines.pytorchjob", "true"), "pytorchjob");
        assertRefused(Map.of("kueue.workloads", "yes"), "workloads");
    }

    @Test
    void theChartRunsTheOperatorWithTheJvmOptionsOfItsImage() throws IOException {
        // both say them: the image for those who run it without the chart, the chart so they can be changed;
        // they were tuned together (docs/benchmarks.md, "Outside the heap") and must not drift apart
        Matcher image = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]*)\"")
                .matcher(Files.readString(Path.of("src/main/docker/Dockerfile.operator")));
        assertTrue(image.find(), "Dockerfile.operator sets JAVA_TOOL_OPTIONS");
        EnvVar chart = only(render(Map.of()), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
                .stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).findFirst().orElseThrow();
        assertEquals(image.group(1), chart.getValue());
    }

    @Test
    void theChartsAppVersionIsTheVersionOfTheImagesTheJarAndItsDefaultWorker() throws Exception {
        String appVersion = new ObjectMapper(new YAMLFactory()).readTree(CHART.resolve("Chart.yaml").toFile()).get("appVersion").asText();
        assertEquals("ghcr.io/winnow-dev/winnow-worker:" + appVersion, OperatorSettings.DEFAULT_WORKER_IMAGE);
        assertEquals("winnow " + appVersion, WinnowCommand.class.getAnnotation(Command.class).version()[0]);
        String pom = Files.readString(Path.of("pom.xml"));
        assertTrue(pom.contains("<version>" + appVersion + "-SNAPSHOT</version>") || pom.contains("<version>" + appVersion + "</version>"),
                "pom.xml's version is " + appVersion + "(-SNAPSHOT)");
    }

    @Test
    void helmRefusesMisspeltAndMistypedValues() {
        assertRefused(Map.of("imgae.tag", "0.2.0"), "imgae");
        assertRefused(Map.of("worker.tga", "0.2.0"), "tga");
        assertRefused(Map.of("httpPort", "http"), "httpPort");
        assertRefused(Map.of("image.pullPolicy", "Sometimes"), "pullPolicy");
        assertEquals("registry.local/winnow-operator:0.2.0", only(render(Map.of("image.repository", "registry.local/winnow-operator",
                "image.tag", "0.2.0", "image.pullPolicy", "Always", "httpPort", "9090", "replicaCount", "2")), Deployment.class)
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    }

    private static void assertRefused(Map<String, String> values, String named) {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> render(values), values.toString());
        assertTrue(refused.getMessage().contains("schema") && refused.getMessage().contains(named), refused.getMessage());
    }

    @Test
    void chartShipsExactlyTheCommittedCrds() throws IOException {
        try (Stream<Path> committed = Files.list(Path.of("crds"))) {
            for (Path crd : committed.toList()) {
                assertEquals(Files.readString(crd), Files.readString(CHART.resolve("crds").resolve(crd.getFileName())),
                        "helm/winnow/crds/" + crd.getFileName() + " differs from crds/: copy crds/*.yml into the chart");
            }
        }
        try (Stream<Path> inChart = Files.list(CHART.resolve("crds"))) {
            assertEquals(4, inChart.count());
        }
    }

    static List<HasMetadata> render(Map<String, String> values) {
        return render("winnow", values);
    }

    static List<HasMetadata> render(String release, Map<String, String> values) {
        var template = new Helm(CHART).template().withName(release).withNamespace("winnow-system").skipCrds();
        values.forEach(template::set);
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : template.call().split("(?m)^---\\s*$")) {
            if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
                objects.add((HasMetadata) Serialization.unmarshal(doc));
            }
        }
        return objects;
    }

    static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).filter(o -> o.getMetadata().getName().equals(name)).toList();
        assertEquals(1, found.size(), type.getSimpleName() + " " + name);
        return found.get(0);
    }

    private static <T> T only(List<HasMetadata> objects, Class<T> type) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, found.size(), type.getSimpleName());
        return found.get(0);
    }
}
