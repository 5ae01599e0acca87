package dev.winnow.operator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The operator client's JSON: every object it reads leaves {@code metadata.managedFields} out. A real API
 * server attaches them to every object (server-side apply's bookkeeping, a nested map per field manager),
 * and they were the largest part of each Job, pod and run the informers cache: about a megabyte of heap
 * per loop (docs/benchmarks.md, "Loops on a real API server"). Winnow never reads them, and a write that
 * leaves them out keeps the server's (only an empty list would reset them).
 *
 * <p>A Job is read without its pod template either: the operator reads a step Job's status, labels, owner,
 * completions and suspension, never the pod it describes (its contract environment, volumes and security
 * contexts are most of a Job's bytes), and it never writes a Job it read back (it creates and deletes them).
 * Jobs it creates are written whole.
 *
 * <p>Short strings read are the JVM's shared instance of their value ({@link String#intern}): the same kinds,
 * API versions, label values, owner names and uids, condition types, statuses and reasons come in every Job and
 * run, each as a new String, and they were most of the objects the informers held.
 */
public final class LeanJson {
    private LeanJson() {
    }

    @JsonIgnoreProperties(value = "managedFields", ignoreUnknown = true)
    private abstract static class WithoutManagedFields {
    }

    // allowGetters: ignored when read, still written
    @JsonIgnoreProperties(value = "template", allowGetters = true, ignoreUnknown = true)
    private abstract static class WithoutPodTemplate {
    }

    private static final int SHARED_STRING_LENGTH = 64;

    private static final class SharedStrings extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws java.io.IOException {
            String s = super.deserialize(p, ctxt);
            return s != null && s.length() <= SHARED_STRING_LENGTH ? s.intern() : s;
        }
    }

    public static KubernetesSerialization serialization() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.registerModule(new SimpleModule("winnow-shared-strings").addDeserializer(String.class, new SharedStrings()));
        mapper.addMixIn(ObjectMeta.class, WithoutManagedFields.class);
        mapper.addMixIn(JobSpec.class, WithoutPodTemplate.class);
        return new KubernetesSerialization(mapper, true);
    }
}
