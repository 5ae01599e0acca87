package dev.winnow.sampling.strategy;

import dev.winnow.sampling.SamplingException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A strategy's --param KEY=VALUE settings, read with their defaults and checked for typos. It
 * remembers which keys the strategy takes and the defaults it read, so the registry can say what
 * each strategy takes ({@link Strategies#parameters}).
 */
public final class Params {
    private final Map<String, String> values;
    private final String strategy;
    private final Set<String> takes = new TreeSet<>();
    private final Map<String, String> defaults = new TreeMap<>();

    public Params(Map<String, String> values, String strategy) {
        this.values = new TreeMap<>(values);
        this.strategy = strategy;
    }

    /** Fails on any key the strategy does not read, so a misspelt parameter is not ignored. */
    public Params only(String... keys) {
        takes.addAll(Set.of(keys));
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(Set.of(keys));
        if (!unknown.isEmpty()) {
            throw new SamplingException("--param " + unknown.iterator().next() + ": not a parameter of "
                    + strategy + (keys.length == 0 ? " (it takes none)" : " (known: " + String.join(", ", new TreeSet<>(Set.of(keys))) + ")"));
        }
        return this;
    }

    public String string(String key, String dflt, String... allowed) {
        defaults.put(key, dflt);
        String v = values.getOrDefault(key, dflt);
        if (allowed.length > 0 && !Set.of(allowed).contains(v)) {
            throw new SamplingException("--param " + key + "=" + v + ": " + strategy + " accepts "
                    + String.join(", ", allowed));
        }
        return v;
    }

    public double number(String key, double dflt, double min, double max) {
        defaults.put(key, String.valueOf(dflt));
        String v = values.get(key);
        if (v == null) {
            return dflt;
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new SamplingException("--param " + key + "=" + v + ": not a number");
        }
        if (!(d >= min && d <= max)) {
            throw new SamplingException("--param " + key + "=" + v + ": must be between " + min + " and " + max);
        }
        return d;
    }

    public int integer(String key, int dflt, int min) {
        defaults.put(key, String.valueOf(dflt));
        String v = values.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v);
            if (i < min) {
                throw new SamplingException("--param " + key + "=" + v + ": must be at least " + min);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new SamplingException("--param " + key + "=" + v + ": not an integer");
        }
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String strategy() {
        return strategy;
    }

    /** The keys the strategy declared with {@link #only}. */
    Set<String> takes() {
        return takes;
    }

    /** The defaults read so far, by key. */
    Map<String, String> defaults() {
        return defaults;
    }
}
