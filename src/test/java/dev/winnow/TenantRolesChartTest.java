package dev.winnow;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.winnow.HelmChartTest.named;
import static dev.winnow.HelmChartTest.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chart's roles for the people who run loops: winnow-view and winnow-edit, aggregated into the
 * built-in view, edit and admin roles, so a namespace's editors can run loops without extra RBAC.
 */
class TenantRolesChartTest {
    static final List<String> RESOURCES = List.of("datasets", "trainingruns", "selectionrounds", "activelearningloops");
    static final String VIEW = "rbac.authorization.k8s.io/aggregate-to-view";
    static final String EDIT = "rbac.authorization.k8s.io/aggregate-to-edit";
    static final String ADMIN = "rbac.authorization.k8s.io/aggregate-to-admin";

    @Test
    void viewReadsWinnowsResourcesAndAggregatesIntoViewEditAndAdmin() {
        ClusterRole view = named(render(Map.of()), ClusterRole.class, "winnow-view");
        assertEquals("true", view.getMetadata().getLabels().get(VIEW));
        assertEquals("true", view.getMetadata().getLabels().get(EDIT));
        assertEquals("true", view.getMetadata().getLabels().get(ADMIN));
        for (String resource : RESOURCES) {
            assertEquals(Set.of("get", "list", "watch"), verbs(view, resource));
            assertEquals(Set.of("get", "list", "watch"), verbs(view, resource + "/status"));
        }
    }

    @Test
    void editCreatesAndChangesWinnowsResourcesButNeverTheirStatus() {
        ClusterRole edit = named(render(Map.of()), ClusterRole.class, "winnow-edit");
        assertEquals("true", edit.getMetadata().getLabels().get(EDIT));
        assertEquals("true", edit.getMetadata().getLabels().get(ADMIN));
        assertFalse(edit.getMetadata().getLabels().containsKey(VIEW), "viewers must not get write access");
        for (String resource : RESOURCES) {
            // bound on its own (a RoleBinding to winnow-edit) it is enough to run and watch a loop
            assertEquals(Set.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"), verbs(edit, resource));
            assertEquals(Set.of("get", "list", "watch"), verbs(edit, resource + "/status"), "status is the operator's");
        }
        assertTrue(edit.getRules().stream().allMatch(r -> r.getApiGroups().equals(List.of("winnow.dev"))), "nothing but Winnow's resources");
    }

    @Test
    void namedAfterTheReleaseAndRenderedInTheNamespacedModeToo() {
        List<HasMetadata> objects = render(Map.of("watchNamespaces[0]", "team-a"));
        named(objects, ClusterRole.class, "winnow-view");
        named(objects, ClusterRole.class, "winnow-edit");
        // the chart's fullname: another release gets roles of its own
        assertEquals(Set.of("ml-winnow", "ml-winnow-crds", "ml-winnow-view", "ml-winnow-edit"), clusterRoles(render("ml", Map.of())),
                "the operator's, its CRD upgrade's, and the tenants' two");
    }

    @Test
    void aValueTurnsThemOffAndAnotherLeavesThemUnaggregated() {
        assertEquals(Set.of("winnow", "winnow-crds"), clusterRoles(render(Map.of("tenantRoles.create", "false"))));
        List<HasMetadata> objects = render(Map.of("tenantRoles.aggregate", "false"));
        for (String name : List.of("winnow-view", "winnow-edit")) {
            ClusterRole role = named(objects, ClusterRole.class, name);
            assertTrue(role.getMetadata().getLabels().keySet().stream().noneMatch(k -> k.startsWith("rbac.authorization.k8s.io/aggregate-to-")),
                    name + " " + role.getMetadata().getLabels());
            assertFalse(role.getRules().isEmpty());
        }
    }

    /** The verbs the role grants on one resource of winnow.dev, over all its rules. */
    private static Set<String> verbs(ClusterRole role, String resource) {
        Set<String> verbs = new TreeSet<>();
        for (PolicyRule rule : role.getRules()) {
            if (rule.getApiGroups().contains("winnow.dev") && rule.getResources().contains(resource)) {
                verbs.addAll(rule.getVerbs());
            }
        }
        return verbs;
    }

    private static Set<String> clusterRoles(List<HasMetadata> objects) {
        Set<String> names = new TreeSet<>();
        objects.stream().filter(o -> o instanceof ClusterRole).forEach(o -> names.add(o.getMetadata().getName()));
        return names;
    }
}
