package dev.winnow.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Brings the cluster's Winnow CRDs up to this operator's at start, by server-side apply: Helm installs the
 * chart's crds/ on the first install and never again, so without this a {@code helm upgrade} would leave old
 * CRDs behind a new operator, and the API server would prune every new field in silence. Each CRD applied
 * carries the version that applied it ({@value #VERSION_ANNOTATION}); an operator never applies over a newer
 * one (a rollback, an old replica starting late), since older schemas would drop the newer fields on the next
 * write. Without the RBAC for it (chart value crds.apply=false) it says so once and goes on.
 */
public final class CrdUpgrade {
    public static final String VERSION_ANNOTATION = "winnow.dev/version";
    static final String FIELD_MANAGER = "winnow-operator";
    private static final Logger LOG = Logger.getLogger(CrdUpgrade.class);

    private CrdUpgrade() {
    }

    /** What happened to one CRD. */
    public enum Outcome { APPLIED, NEWER_SERVED, FORBIDDEN }

    /** Applies each CRD unless the served one is newer; returns what happened to each, in order. */
    public static List<Outcome> apply(KubernetesClient client, List<CustomResourceDefinition> crds, String version) {
        return crds.stream().map(crd -> apply(client, crd, version)).toList();
    }

    static Outcome apply(KubernetesClient client, CustomResourceDefinition crd, String version) {
        String name = crd.getMetadata().getName();
        try {
            CustomResourceDefinition served = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
            String servedVersion = served == null || served.getMetadata().getAnnotations() == null ? null
                    : served.getMetadata().getAnnotations().get(VERSION_ANNOTATION);
            if (servedVersion != null && compare(servedVersion, version) > 0) {
                LOG.infof("CRD %s is of Winnow %s, newer than this operator (%s): left as it is", name, servedVersion, version);
                return Outcome.NEWER_SERVED;
            }
            CustomResourceDefinition mine = new CustomResourceDefinitionBuilder(crd).editMetadata()
                    .addToAnnotations(VERSION_ANNOTATION, version).withResourceVersion(null).withManagedFields()
                    .endMetadata().withStatus(null).build();
            client.resource(mine).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            LOG.infof("CRD %s applied (Winnow %s%s)", name, version, servedVersion == null ? "" : ", was " + servedVersion);
            return Outcome.APPLIED;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                LOG.warnf("cannot upgrade CRD %s (%s): apply crds/ of Winnow %s yourself, or grant it with the chart's crds.apply=true;"
                        + " until then fields new in %s may be dropped by the API server", name, e.getStatus() == null ? e.getMessage()
                        : e.getStatus().getMessage(), version, version);
                return Outcome.FORBIDDEN;
            }
            throw e;
        }
    }

    /** Orders versions such as 0.2.0 and 0.10.1 by their numbers; a suffix (-SNAPSHOT) is ignored. */
    static int compare(String a, String b) {
        String[] x = a.split("-")[0].split("\\.");
        String[] y = b.split("-")[0].split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(number(x, i), number(y, i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int number(String[] parts, int i) {
        try {
            return i < parts.length ? Integer.parseInt(parts[i]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
