package dev.winnow.api.v1alpha1;

/** Patterns shared by the schemas. */
public final class Validation {
    private Validation() {
    }

    /** Step pods reach data through s3:// or file:// URIs only. */
    public static final String URI_PATTERN = "^(s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?|file:///.*)$";

    /*
     * What Kubernetes parses later, refused at apply time rather than when a Job is built or a pod
     * starts. The patterns are Kubernetes' own (apimachinery's validation and resource.Quantity) and
     * use only what Go's RE2, the API server's engine, accepts.
     */

    /** A resource.Quantity: 500m, 2, 1.5Gi, 8e9 (the pattern controller-gen writes for Quantity fields). */
    public static final String QUANTITY_PATTERN =
            "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

    /** A DNS-1123 subdomain: names of Secrets, claims, ServiceAccounts, RuntimeClasses, PriorityClasses. */
    public static final String SUBDOMAIN_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    public static final int MAX_SUBDOMAIN = 253;

    /** A qualified name, optionally prefixed: label keys and resource names (cpu, nvidia.com/gpu). */
    public static final String QUALIFIED_NAME_PATTERN =
            "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";

    /** An extended resource such as nvidia.com/gpu or nvidia.com/mig-1g.10gb: a qualified name with its domain. */
    public static final String EXTENDED_RESOURCE_PATTERN =
            "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";

    /** A label value: empty, or at most 63 alphanumerics, '-', '_' and '.', alphanumeric at both ends. */
    public static final String LABEL_VALUE_PATTERN = "^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$";

    /**
     * A container image reference, [registry[:port]/]path[:tag][@digest], as the container runtime parses
     * it; empty means Winnow's worker. A reference the runtime cannot parse leaves the pod waiting in
     * InvalidImageName, so it is refused here.
     */
    public static final String IMAGE_PATTERN = "^$|^"
            + "([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*(:[0-9]+)?/)?"
            + "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*"
            + "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
            + "(@[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$";

    /** A Kubernetes object name (DNS-1123 subdomain, kept short so derived Job names fit). */
    public static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /**
     * The longest name a Winnow resource may have: the operator writes it into label values (at most
     * 63 characters) on step Jobs and loop children; longer derived names are shortened with a hash.
     */
    public static final int MAX_NAME = 63;
    // refused at apply time by maxLength on metadata.name in every CRD (CrdDriftTest writes it): the API server
    // then names the field ("metadata.name: Too long"), where a CEL rule on the root could only say "object"
}
