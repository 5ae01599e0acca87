package dev.winnow.operator.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class ApiRequestsTest {
    @Test
    void requestsAreNamedAsTheApiServerNamesThem() {
        assertArrayEquals(new String[]{"patch", "activelearningloops/status"},
                ApiRequests.kind("PATCH", "/apis/winnow.dev/v1alpha1/namespaces/ml/activelearningloops/fashion/status", null));
        assertArrayEquals(new String[]{"watch", "jobs"}, ApiRequests.kind("GET", "/apis/batch/v1/jobs", "labelSelector=x&watch=true"));
        assertArrayEquals(new String[]{"list", "pods"}, ApiRequests.kind("GET", "/api/v1/namespaces/ml/pods", "labelSelector=job-name%3Dx"));
        assertArrayEquals(new String[]{"get", "pods"}, ApiRequests.kind("GET", "/api/v1/namespaces/ml/pods/p-1", null));
        assertArrayEquals(new String[]{"create", "events"}, ApiRequests.kind("POST", "/api/v1/namespaces/ml/events", null));
        assertArrayEquals(new String[]{"update", "leases"},
                ApiRequests.kind("PUT", "/apis/coordination.k8s.io/v1/namespaces/w/leases/winnow", null));
        assertArrayEquals(new String[]{"get", "customresourcedefinitions"},
                ApiRequests.kind("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/datasets.winnow.dev", null));
        assertArrayEquals(new String[]{"list", "none"}, ApiRequests.kind("GET", "/apis", null));
    }
}
