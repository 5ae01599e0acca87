package dev.winnow.local.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment as the kubelet would build it: envFrom, then env (literal values with $(VAR)
 * expansion, secret and config map keys read from the API, and the pod's own fields).
 */
public final class EnvResolver {
    private static final Pattern REF = Pattern.compile("\\$\\$|\\$\\(([-._a-zA-Z0-9]+)\\)");
    private static final Pattern LABEL_FIELD = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)']");

    private final KubernetesClient client;

    public EnvResolver(KubernetesClient client) {
        this.client = client;
    }

    /** @throws ConfigError when a referenced secret, config map or key is missing and not optional */
    public Map<String, String> resolve(Pod pod, Container c) throws ConfigError {
        String ns = pod.getMetadata().getNamespace();
        Map<String, String> env = new LinkedHashMap<>();
        if (c.getEnvFrom() != null) {
            for (EnvFromSource from : c.getEnvFrom()) {
                String prefix = from.getPrefix() == null ? "" : from.getPrefix();
                if (from.getSecretRef() != null) {
                    Map<String, String> data = secretData(ns, from.getSecretRef().getName(),
                            Boolean.TRUE.equals(from.getSecretRef().getOptional()));
                    data.forEach((k, v) -> env.put(prefix + k, v));
                }
                if (from.getConfigMapRef() != null) {
                    Map<String, String> data = configMapData(ns, from.getConfigMapRef().getName(),
                            Boolean.TRUE.equals(from.getConfigMapRef().getOptional()));
                    data.forEach((k, v) -> env.put(prefix + k, v));
                }
            }
        }
        if (c.getEnv() != null) {
            for (EnvVar v : c.getEnv()) {
                String value = v.getValueFrom() == null ? expand(v.getValue() == null ? "" : v.getValue(), env)
                        : valueFrom(pod, v.getName(), v.getValueFrom());
                if (value != null) {
                    env.put(v.getName(), value);
                }
            }
        }
        return env;
    }

    private String valueFrom(Pod pod, String name, EnvVarSource from) throws ConfigError {
        String ns = pod.getMetadata().getNamespace();
        if (from.getSecretKeyRef() != null) {
            var ref = from.getSecretKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            return key(secretData(ns, ref.getName(), optional), ref.getKey(), "secret " + ref.getName(), optional);
        }
        if (from.getConfigMapKeyRef() != null) {
            var ref = from.getConfigMapKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            return key(configMapData(ns, ref.getName(), optional), ref.getKey(), "configmap " + ref.getName(), optional);
        }
        if (from.getFieldRef() != null) {
            String path = from.getFieldRef().getFieldPath();
            var meta = pod.getMetadata();
            switch (path) {
                case "metadata.name":
                    return meta.getName();
                case "metadata.namespace":
                    return meta.getNamespace();
                case "metadata.uid":
                    return meta.getUid();
                case "spec.nodeName":
                    return pod.getSpec().getNodeName();
                case "spec.serviceAccountName":
                    return pod.getSpec().getServiceAccountName();
                case "status.podIP":
                case "status.hostIP":
                    return "127.0.0.1";
                default:
                    Matcher m = LABEL_FIELD.matcher(path);
                    if (m.matches()) {
                        Map<String, String> map = m.group(1).equals("labels") ? meta.getLabels() : meta.getAnnotations();
                        return map == null ? "" : map.getOrDefault(m.group(2), "");
                    }
                    throw new ConfigError("env " + name + ": field " + path + " is not available in the demo");
            }
        }
        // resourceFieldRef: no limits apply to a local process, so the variable stays unset
        return null;
    }

    private static String key(Map<String, String> data, String key, String what, boolean optional) throws ConfigError {
        String v = data.get(key);
        if (v == null && !optional) {
            throw new ConfigError("couldn't find key " + key + " in " + what);
        }
        return v;
    }

    private Map<String, String> secretData(String ns, String name, boolean optional) throws ConfigError {
        Secret s = client.secrets().inNamespace(ns).withName(name).get();
        if (s == null) {
            if (optional) {
                return Map.of();
            }
            throw new ConfigError("secret \"" + name + "\" not found");
        }
        Map<String, String> data = new LinkedHashMap<>();
        if (s.getData() != null) {
            s.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (s.getStringData() != null) {
            // the API server folds stringData into data; the mock server keeps it as written
            data.putAll(s.getStringData());
        }
        return data;
    }

    private Map<String, String> configMapData(String ns, String name, boolean optional) throws ConfigError {
        ConfigMap cm = client.configMaps().inNamespace(ns).withName(name).get();
        if (cm == null) {
            if (optional) {
                return Map.of();
            }
            throw new ConfigError("configmap \"" + name + "\" not found");
        }
        return cm.getData() == null ? Map.of() : cm.getData();
    }

    /** Kubernetes' $(VAR) expansion against the variables defined so far; $$ is a literal $. */
    static String expand(String value, Map<String, String> defined) {
        Matcher m = REF.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group().equals("$$") ? "$"
                    : defined.containsKey(m.group(1)) ? defined.get(m.group(1)) : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** What the kubelet reports as CreateContainerConfigError. */
    public static final class ConfigError extends Exception {
        public ConfigError(String message) {
            super(message);
        }
    }
}
