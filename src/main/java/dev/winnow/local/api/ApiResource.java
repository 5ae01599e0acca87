package dev.winnow.local.api;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.List;

/** One resource type the embedded API serves, as discovery describes it to kubectl. */
public record ApiResource(String group, String version, String kind, String plural, String singular,
                          boolean namespaced, List<String> shortNames, List<String> categories,
                          boolean statusSubresource) {

    /** "v1" for the core group, "group/version" otherwise, as apiVersion and discovery spell it. */
    public String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** How the Fabric8 client addresses this type generically (used to watch it for kubectl). */
    public ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(namespaced)
                .build();
    }
}
