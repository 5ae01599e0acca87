package dev.winnow.local.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The resource types the embedded API serves and the discovery documents that describe them. The mock server
 * answers CRUD for any path; this is what lets kubectl find the types and print their columns.
 */
public final class ApiCatalog {
    private static final List<String> VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    private final Map<String, ApiResource> byKey = new LinkedHashMap<>();
    private final Map<String, TableColumns> columns = new LinkedHashMap<>();

    /** The built-in types the demo uses: namespaces, pods, secrets, config maps, events, Jobs, CRDs. */
    public static ApiCatalog builtIn() {
        ApiCatalog c = new ApiCatalog();
        c.add(new ApiResource("", "v1", "Namespace", "namespaces", "namespace", false, List.of("ns"), List.of(), true), TableColumns.NAME_AGE);
        c.add(new ApiResource("", "v1", "Pod", "pods", "pod", true, List.of("po"), List.of("all"), true), new PodColumns());
        c.add(new ApiResource("", "v1", "Secret", "secrets", "secret", true, List.of(), List.of(), false), TableColumns.NAME_AGE);
        c.add(new ApiResource("", "v1", "ConfigMap", "configmaps", "configmap", true, List.of("cm"), List.of(), false), TableColumns.NAME_AGE);
        c.add(new ApiResource("", "v1", "Event", "events", "event", true, List.of("ev"), List.of(), false), TableColumns.NAME_AGE);
        c.add(new ApiResource("batch", "v1", "Job", "jobs", "job", true, List.of(), List.of("all"), true), new JobColumns());
        c.add(new ApiResource("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions",
                "customresourcedefinition", false, List.of("crd", "crds"), List.of(), true), TableColumns.NAME_AGE);
        return c;
    }

    /** Adds the served version of a CRD, with its printer columns. */
    public void addCrd(CustomResourceDefinition crd) {
        var spec = crd.getSpec();
        for (CustomResourceDefinitionVersion v : spec.getVersions()) {
            if (!Boolean.TRUE.equals(v.getServed())) {
                continue;
            }
            var names = spec.getNames();
            boolean status = v.getSubresources() != null && v.getSubresources().getStatus() != null;
            add(new ApiResource(spec.getGroup(), v.getName(), names.getKind(), names.getPlural(), names.getSingular(),
                            "Namespaced".equals(spec.getScope()),
                            names.getShortNames() == null ? List.of() : names.getShortNames(),
                            names.getCategories() == null ? List.of() : names.getCategories(), status),
                    new CrdColumns(v.getAdditionalPrinterColumns() == null ? List.of() : v.getAdditionalPrinterColumns()));
        }
    }

    public void add(ApiResource resource, TableColumns tableColumns) {
        String key = resource.groupVersion() + "/" + resource.plural();
        byKey.put(key, resource);
        columns.put(key, tableColumns);
    }

    public Optional<ApiResource> find(String groupVersion, String plural) {
        return Optional.ofNullable(byKey.get(groupVersion + "/" + plural));
    }

    public TableColumns columns(ApiResource resource) {
        return columns.getOrDefault(resource.groupVersion() + "/" + resource.plural(), TableColumns.NAME_AGE);
    }

    public List<ApiResource> resources() {
        return List.copyOf(byKey.values());
    }

    /** GET /api */
    public ObjectNode coreVersions(String serverAddress) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("kind", "APIVersions");
        n.putArray("versions").add("v1");
        n.putArray("serverAddressByClientCIDRs").addObject()
                .put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
        return n;
    }

    /** GET /apis: every named group with its versions. */
    public ObjectNode groupList() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = n.putArray("groups");
        for (String group : groups()) {
            groups.add(group(group));
        }
        return n;
    }

    /** GET /apis/{group}, or null when the group is not served. */
    public ObjectNode group(String group) {
        List<String> versions = resources().stream().filter(r -> r.group().equals(group))
                .map(ApiResource::version).distinct().toList();
        if (group.isEmpty() || versions.isEmpty()) {
            return null;
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("kind", "APIGroup").put("apiVersion", "v1").put("name", group);
        ArrayNode vs = n.putArray("versions");
        for (String v : versions) {
            vs.addObject().put("groupVersion", group + "/" + v).put("version", v);
        }
        n.putObject("preferredVersion").put("groupVersion", group + "/" + versions.get(0)).put("version", versions.get(0));
        return n;
    }

    /** GET /api/v1 or /apis/{group}/{version}, or null when that group version is not served. */
    public ObjectNode resourceList(String groupVersion) {
        List<ApiResource> served = resources().stream().filter(r -> r.groupVersion().equals(groupVersion)).toList();
        if (served.isEmpty()) {
            return null;
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("kind", "APIResourceList").put("apiVersion", "v1").put("groupVersion", groupVersion);
        ArrayNode list = n.putArray("resources");
        for (ApiResource r : served) {
            ObjectNode o = list.addObject();
            o.put("name", r.plural()).put("singularName", r.singular()).put("namespaced", r.namespaced())
                    .put("kind", r.kind());
            ArrayNode verbs = o.putArray("verbs");
            VERBS.forEach(verbs::add);
            if (!r.shortNames().isEmpty()) {
                ArrayNode s = o.putArray("shortNames");
                r.shortNames().forEach(s::add);
            }
            if (!r.categories().isEmpty()) {
                ArrayNode s = o.putArray("categories");
                r.categories().forEach(s::add);
            }
            if (r.statusSubresource()) {
                ObjectNode st = list.addObject();
                st.put("name", r.plural() + "/status").put("singularName", "").put("namespaced", r.namespaced())
                        .put("kind", r.kind());
                st.putArray("verbs").add("get").add("patch").add("update");
            }
        }
        return n;
    }

    private Set<String> groups() {
        Set<String> groups = new LinkedHashSet<>();
        for (ApiResource r : resources()) {
            if (!r.group().isEmpty()) {
                groups.add(r.group());
            }
        }
        return groups;
    }

    /** Used by tests and logs: every served "group/version/plural". */
    public List<String> keys() {
        return new ArrayList<>(byKey.keySet());
    }
}
