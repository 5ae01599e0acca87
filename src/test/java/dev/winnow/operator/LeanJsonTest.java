package dev.winnow.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class LeanJsonTest {
    private static final String JOB = """
            {"apiVersion": "batch/v1", "kind": "Job",
             "metadata": {"name": "r1-train", "namespace": "ml", "resourceVersion": "42", "labels": {"a": "b"},
               "annotations": {"winnow.dev/step": "train"},
               "managedFields": [{"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "batch/v1",
                 "fieldsType": "FieldsV1", "fieldsV1": {"f:status": {"f:active": {}, "f:ready": {}}}}]},
             "status": {"active": 1}}
            """;

    @Test
    void objectsReadKeepEverythingButManagedFields() {
        KubernetesSerialization json = LeanJson.serialization();
        Job job = json.unmarshal(JOB, Job.class);
        assertTrue(job.getMetadata().getManagedFields().isEmpty(), "managedFields read");
        assertTrue(job.getMetadata().getAdditionalProperties().isEmpty(), "not kept as an unknown property either");
        assertEquals("42", job.getMetadata().getResourceVersion());
        assertEquals("b", job.getMetadata().getLabels().get("a"));
        assertEquals("train", job.getMetadata().getAnnotations().get("winnow.dev/step"));
        assertEquals(1, job.getStatus().getActive());
        // the default serialization keeps them: the test reads what a real API server sends
        assertEquals(1, new KubernetesSerialization().unmarshal(JOB, Job.class).getMetadata().getManagedFields().size());
    }

    @Test
    void aJobIsReadWithoutItsPodTemplateAndWrittenWithIt() {
        KubernetesSerialization json = LeanJson.serialization();
        Job read = json.unmarshal("""
                {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "r1-train", "namespace": "ml"},
                 "spec": {"completions": 2, "suspend": true, "template": {"spec": {"containers": [{"name": "step",
                   "image": "winnow-worker", "env": [{"name": "WINNOW_STEP", "value": "train"}]}]}}},
                 "status": {"succeeded": 1}}
                """, Job.class);
        assertEquals(null, read.getSpec().getTemplate());
        assertTrue(read.getSpec().getAdditionalProperties().isEmpty(), "not kept as an unknown property either");
        assertEquals(2, read.getSpec().getCompletions());
        assertTrue(read.getSpec().getSuspend());
        assertEquals(1, read.getStatus().getSucceeded());

        Job created = new JobBuilder().withNewMetadata().withName("x").endMetadata().withNewSpec().withNewTemplate()
                .withNewSpec().addNewContainer().withName("step").withImage("winnow-worker").endContainer().endSpec()
                .endTemplate().endSpec().build();
        String written = json.asJson(created);
        assertTrue(written.contains("\"template\":{\"spec\":{\"containers\":[{\"image\":\"winnow-worker\""), written);
    }

    @Test
    void shortStringsReadAreSharedBetweenObjects() {
        KubernetesSerialization json = LeanJson.serialization();
        Job a = json.unmarshal(JOB, Job.class);
        Job b = json.unmarshal(JOB, Job.class);
        assertSame(a.getMetadata().getLabels().get("a"), b.getMetadata().getLabels().get("a"), "a map's values");
        assertSame(a.getMetadata().getResourceVersion(), b.getMetadata().getResourceVersion(), "a bean's fields");
        assertSame(a.getApiVersion(), b.getApiVersion());
        String message = "x".repeat(65);
        String long1 = json.unmarshal("{\"metadata\": {\"name\": \"j\", \"annotations\": {\"m\": \"" + message + "\"}}}", Job.class)
                .getMetadata().getAnnotations().get("m");
        String long2 = json.unmarshal("{\"metadata\": {\"name\": \"j\", \"annotations\": {\"m\": \"" + message + "\"}}}", Job.class)
                .getMetadata().getAnnotations().get("m");
        assertEquals(message, long1);
        assertNotSame(long1, long2, "long values (messages) are not interned");
    }

    @Test
    void writesLeaveThemOutSoTheServerKeepsItsOwn() {
        Job job = new JobBuilder().withNewMetadata().withName("x")
                .withManagedFields(new ManagedFieldsEntryBuilder().withManager("m").build()).endMetadata().build();
        String written = LeanJson.serialization().asJson(job);
        assertFalse(written.contains("managedFields"), written);
        assertTrue(written.contains("\"name\":\"x\""), written);
    }
}
