package dev.winnow.worker;

import java.net.URI;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.winnow.contract.ArtifactLayout;
import dev.winnow.contract.Variables;
import dev.winnow.storage.Uris;

/**
 * The inputs of a step: the contract's environment variables, with command-line overrides on top.
 * Blank values count as absent, since Job templates often set a variable to "" rather than omit it.
 * Every accessor that can fail throws {@link StepException} naming the variable.
 */
public final class StepEnvironment {

    private final Map<String, String> values;

    private StepEnvironment(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** {@code env} overlaid with {@code overrides}; override keys may be written as
     *  {@code WINNOW_EPOCHS}, {@code epochs} or {@code train-ids} (see {@link #variableName}). */
    public static StepEnvironment of(Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(env);
        overrides.forEach((key, value) -> merged.put(variableName(key), value));
        return new StepEnvironment(merged);
    }

    public static StepEnvironment of(Map<String, String> env) {
        return of(env, Map.of());
    }

    /** The process environment with command-line overrides. */
    public static StepEnvironment fromProcess(Map<String, String> overrides) {
        return of(System.getenv(), overrides);
    }

    /** {@code train-ids} and {@code trainIds} become {@code WINNOW_TRAIN_IDS}; names that already
     *  look like variables ({@code AWS_REGION}, {@code JOB_COMPLETION_INDEX}) stay as they are. */
    public static String variableName(String key) {
        if (key.matches("[A-Z][A-Z0-9_]*")) {
            return key;
        }
        String snake = key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('-', '_').replace('.', '_');
        return Variables.PREFIX + snake.toUpperCase(Locale.ROOT);
    }

    /** All values, for building an artifact store from the AWS variables. */
    public Map<String, String> asMap() {
        return values;
    }

    public Optional<String> optional(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String require(String name) {
        return optional(name).orElseThrow(() -> new StepException(name + " is required but not set"));
    }

    public String get(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    public URI uri(String name) {
        return parseUri(name, require(name));
    }

    public Optional<URI> optionalUri(String name) {
        return optional(name).map(value -> parseUri(name, value));
    }

    /** An artifact under {@code WINNOW_ARTIFACTS_URI}, given by its path in {@link ArtifactLayout#RELATIVE}. */
    public URI artifact(String relativePath) {
        return Uris.resolve(uri(Variables.ARTIFACTS_URI), relativePath);
    }

    /** A URI that must name a directory; a missing trailing slash is added. */
    public URI directoryUri(String name) {
        return Uris.asDirectory(uri(name));
    }

    public int intValue(String name, int defaultValue) {
        return optional(name).map(value -> parseInt(name, value)).orElse(defaultValue);
    }

    public Optional<Integer> optionalInt(String name) {
        return optional(name).map(value -> parseInt(name, value));
    }

    public long longValue(String name, long defaultValue) {
        return optional(name).map(value -> {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new StepException(name + " must be an integer, got '" + value + "'");
            }
        }).orElse(defaultValue);
    }

    public double doubleValue(String name, double defaultValue) {
        return optional(name).map(value -> {
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new StepException(name + " must be a number, got '" + value + "'");
            }
        }).orElse(defaultValue);
    }

    public boolean flag(String name, boolean defaultValue) {
        return optional(name).map(value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new StepException(name + " must be true or false, got '" + value + "'");
        }).orElse(defaultValue);
    }

    /** A comma-separated list, items trimmed, empty items dropped. */
    public List<String> list(String name) {
        return optional(name).map(value -> Arrays.stream(value.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList()).orElse(List.of());
    }

    /** An enum constant matched case-insensitively, so {@code Idx}, {@code idx} and {@code IDX} work. */
    public <E extends Enum<E>> E enumValue(String name, Class<E> type, E defaultValue) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            if (defaultValue == null) {
                throw new StepException(name + " is required but not set");
            }
            return defaultValue;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.get())) {
                return constant;
            }
        }
        throw new StepException(name + " must be one of " + Arrays.toString(type.getEnumConstants())
                + ", got '" + value.get() + "'");
    }

    private static URI parseUri(String name, String value) {
        try {
            return Uris.parse(value);
        } catch (IllegalArgumentException e) {
            throw new StepException(name + ": " + e.getMessage());
        }
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new StepException(name + " must be an integer, got '" + value + "'");
        }
    }
}
