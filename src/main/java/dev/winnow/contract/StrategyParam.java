package dev.winnow.contract;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One parameter a strategy takes ({@code SelectionRound.spec.strategy.params}, {@code --param
 * name=value}): its type, range or choices, and default. Values are strings, as users write them.
 *
 * @param defaultValue what the strategy uses when the parameter is absent, or a phrase when it depends
 *                     on the request (e.g. "the count"); null when there is none
 */
public record StrategyParam(String name, Type type, double min, double max, List<String> choices, String defaultValue,
                            String description) {

    public enum Type {
        INTEGER, NUMBER,
        /** One of {@link #choices()}. */
        CHOICE,
        /** A comma-separated list of {@link #choices()}. */
        CHOICE_LIST
    }

    public StrategyParam {
        choices = List.copyOf(choices);
    }

    public static StrategyParam integer(String name, int min, String defaultValue, String description) {
        return new StrategyParam(name, Type.INTEGER, min, Integer.MAX_VALUE, List.of(), defaultValue, description);
    }

    public static StrategyParam number(String name, double min, double max, String defaultValue, String description) {
        return new StrategyParam(name, Type.NUMBER, min, max, List.of(), defaultValue, description);
    }

    public static StrategyParam choice(String name, String defaultValue, String description, String... choices) {
        return new StrategyParam(name, Type.CHOICE, 0, 0, Arrays.asList(choices), defaultValue, description);
    }

    public static StrategyParam choiceList(String name, String defaultValue, String description, String... choices) {
        return new StrategyParam(name, Type.CHOICE_LIST, 0, 0, Arrays.asList(choices), defaultValue, description);
    }

    /** Why {@code value} is not acceptable, e.g. "is not an integer"; empty when it is. Parsed as the sampling engine parses it. */
    public Optional<String> problem(String value) {
        if (value == null) {
            return Optional.of("has no value");
        }
        return switch (type) {
            case INTEGER -> {
                try {
                    int i = Integer.parseInt(value);
                    yield i < min ? Optional.of("must be at least " + format(min)) : Optional.empty();
                } catch (NumberFormatException e) {
                    yield Optional.of("is not an integer");
                }
            }
            case NUMBER -> {
                try {
                    double d = Double.parseDouble(value);
                    yield d >= min && d <= max ? Optional.empty()
                            : Optional.of("must be between " + format(min) + " and " + format(max));
                } catch (NumberFormatException e) {
                    yield Optional.of("is not a number");
                }
            }
            case CHOICE -> choices.contains(value) ? Optional.empty() : Optional.of("must be one of " + String.join(", ", choices));
            case CHOICE_LIST -> Arrays.stream(value.split(",")).map(String::strip).filter(v -> !choices.contains(v)).findFirst()
                    .map(v -> "names '" + v + "'; each item must be one of " + String.join(", ", choices));
        };
    }

    /** "an integer >= 1, default 10", for messages and docs. */
    public String describe() {
        String kind = switch (type) {
            case INTEGER -> "an integer >= " + format(min);
            case NUMBER -> "a number in [" + format(min) + ", " + format(max) + "]";
            case CHOICE -> "one of " + String.join(", ", choices);
            case CHOICE_LIST -> "a comma list of " + String.join(", ", choices);
        };
        return kind + (defaultValue == null ? "" : ", default " + defaultValue);
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
