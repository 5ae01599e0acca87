package dev.winnow.storage;

import java.net.URI;
import java.util.Map;

/**
 * How to reach S3: the standard AWS variables, passed in explicitly (not read from the process
 * environment behind the caller's back) so tests can point a store at an in-process server.
 *
 * @param endpoint {@code AWS_ENDPOINT_URL}, null for AWS itself; when set, path-style addressing
 *                 is used, as MinIO and Ceph expect
 * @param region {@code AWS_REGION} (or {@code AWS_DEFAULT_REGION}), default {@code us-east-1}
 * @param accessKeyId {@code AWS_ACCESS_KEY_ID}, null to use the SDK's default credential chain
 * @param secretAccessKey {@code AWS_SECRET_ACCESS_KEY}
 * @param sessionToken {@code AWS_SESSION_TOKEN}, optional
 */
public record S3Settings(URI endpoint, String region, String accessKeyId, String secretAccessKey,
                         String sessionToken) {

    public static S3Settings fromEnvironment(Map<String, String> env) {
        String endpoint = blankToNull(env.get("AWS_ENDPOINT_URL_S3"));
        if (endpoint == null) {
            endpoint = blankToNull(env.get("AWS_ENDPOINT_URL"));
        }
        String region = blankToNull(env.get("AWS_REGION"));
        if (region == null) {
            region = blankToNull(env.get("AWS_DEFAULT_REGION"));
        }
        return new S3Settings(endpoint == null ? null : URI.create(endpoint),
                region == null ? "us-east-1" : region,
                blankToNull(env.get("AWS_ACCESS_KEY_ID")),
                blankToNull(env.get("AWS_SECRET_ACCESS_KEY")),
                blankToNull(env.get("AWS_SESSION_TOKEN")));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
