package dev.winnow.api.v1alpha1;

/** Patterns shared by the schemas. */
public final class Validation {
    private Validation() {
    }

    /** Step pods reach data through s3:// or file:// URIs only. */
    public static final String URI_PATTERN = "^(s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?|file:///.*)$";

    /** A Kubernetes object name (DNS-1123 subdomain, kept short so derived Job names fit). */
    public static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /**
     * The longest name a Winnow resource may have: the operator writes it into label values (at most
     * 63 characters) on step Jobs and loop children; longer derived names are shortened with a hash.
     */
    public static final int MAX_NAME = 63;

    /** Refuses, at apply time, names that could never work (a CEL rule on the root of every CRD). */
    public static final String NAME_LENGTH_RULE = "self.metadata.name.size() <= " + MAX_NAME;
    public static final String NAME_LENGTH_MESSAGE = "metadata.name may have at most " + MAX_NAME
            + " characters: Winnow writes it into labels of its Jobs and children";
}
