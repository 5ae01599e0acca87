package dev.winnow.worker.data;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/** The classes of {@code WINNOW_CLASSES}; a class's index is its position. */
public final class ClassList {

    private final List<String> names;

    public ClassList(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("WINNOW_CLASSES is empty: the dataset needs at least one class");
        }
        if (names.stream().map(n -> n.toLowerCase(Locale.ROOT)).distinct().count() != names.size()) {
            throw new IllegalArgumentException("WINNOW_CLASSES has duplicate names: " + names);
        }
        this.names = List.copyOf(names);
    }

    public int size() {
        return names.size();
    }

    public String name(int index) {
        return names.get(index);
    }

    public List<String> names() {
        return names;
    }

    /**
     * A label as it appears in label files: a class name (case-insensitive, since KITTI writes
     * {@code Car} where a user writes {@code car}) or a zero-based index.
     */
    public OptionalInt find(String label) {
        String value = label.trim();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(value)) {
                return OptionalInt.of(i);
            }
        }
        if (value.matches("\\d{1,9}")) {
            int index = Integer.parseInt(value);
            if (index < names.size()) {
                return OptionalInt.of(index);
            }
        }
        return OptionalInt.empty();
    }

    /** Like {@link #find} but a label that is no class is an error naming where it was found. */
    public int require(String label, String where) {
        return find(label).orElseThrow(() -> new IllegalArgumentException(
                where + ": unknown class '" + label + "' (classes: " + String.join(",", names) + ")"));
    }
}
