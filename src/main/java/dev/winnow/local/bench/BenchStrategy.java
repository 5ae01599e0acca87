package dev.winnow.local.bench;

import dev.winnow.contract.Strategy;
import dev.winnow.local.demo.DemoManifests;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One entry of {@code winnow bench --strategies}: a strategy, or a strategy with parameters to compare
 * settings side by side ({@code coral:measures=margin}, {@code uncertainty-mix:p=0.5:measure=entropy};
 * a list value joins its items with {@code +}, {@code coral:measures=margin+entropy}, since the option
 * itself is comma-separated). Its {@link #id()} names the loops and is their report row.
 */
public record BenchStrategy(Strategy strategy, Map<String, String> params) {
    /** Label values and name parts stay short; past this, a variant's id is cut. */
    static final int MAX_ID = 40;

    public BenchStrategy {
        params = Map.copyOf(params);
    }

    public static BenchStrategy of(Strategy strategy) {
        return new BenchStrategy(strategy, Map.of());
    }

    /** Parses {@code name[:key=value]...}; the parameters are checked against the strategy's catalog. */
    public static BenchStrategy parse(String text) {
        String[] parts = text.trim().split(":");
        Strategy strategy = DemoManifests.strategy(parts[0]);
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0 || eq == parts[i].length() - 1) {
                throw new IllegalArgumentException("'" + parts[i] + "' in '" + text + "' is not key=value (e.g. coral:measures=margin)");
            }
            String key = parts[i].substring(0, eq);
            if (params.put(key, parts[i].substring(eq + 1).replace('+', ',')) != null) {
                throw new IllegalArgumentException("'" + text + "' sets " + key + " twice");
            }
        }
        strategy.paramProblem(strategy.id(), params).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        return new BenchStrategy(strategy, params);
    }

    /** The strategy's id, with its parameters sorted by name: {@code coral-measures-margin}. */
    public String id() {
        StringBuilder id = new StringBuilder(strategy.id());
        params.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> id.append('-').append(e.getKey()).append('-').append(e.getValue()));
        String clean = id.toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return clean.length() <= MAX_ID ? clean : clean.substring(0, MAX_ID).replaceAll("-$", "");
    }
}
