package dev.winnow.api.v1alpha1;

/** Patterns shared by the schemas. */
public final class Validation {
    private Validation() {
    }

    /** Step pods reach data through s3:// or file:// URIs only. */
    public static final String URI_PATTERN = "^(s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?|file:///.*)$";

    /** A Kubernetes object name (DNS-1123 subdomain, kept short so derived Job names fit). */
    public static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
}
