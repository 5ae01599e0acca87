package dev.winnow.local.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The four Winnow CRDs as packaged in the jar under {@code crds/} (the committed, generated YAML). */
public final class WinnowCrds {
    /** A jar's directory cannot be listed portably, so the files are named here. */
    static final List<String> FILES = List.of(
            "datasets.winnow.dev-v1.yml",
            "trainingruns.winnow.dev-v1.yml",
            "selectionrounds.winnow.dev-v1.yml",
            "activelearningloops.winnow.dev-v1.yml");

    private WinnowCrds() {
    }

    public static List<CustomResourceDefinition> load() {
        List<CustomResourceDefinition> crds = new ArrayList<>();
        for (String file : FILES) {
            try (InputStream in = WinnowCrds.class.getClassLoader().getResourceAsStream("crds/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("crds/" + file + " is missing from the classpath");
                }
                crds.add(Serialization.unmarshal(in, CustomResourceDefinition.class));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return crds;
    }
}
