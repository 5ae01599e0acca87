package dev.winnow.local.kubelet;

import java.util.SortedSet;

/** Completed indexes the way Job status lists them: "0-2,5,7-8". */
final class IndexRanges {
    private IndexRanges() {
    }

    static String format(SortedSet<Integer> indexes) {
        StringBuilder out = new StringBuilder();
        Integer start = null;
        Integer prev = null;
        for (int i : indexes) {
            if (prev != null && i == prev + 1) {
                prev = i;
                continue;
            }
            append(out, start, prev);
            start = i;
            prev = i;
        }
        append(out, start, prev);
        return out.toString();
    }

    private static void append(StringBuilder out, Integer start, Integer end) {
        if (start == null) {
            return;
        }
        if (out.length() > 0) {
            out.append(',');
        }
        out.append(start);
        if (!end.equals(start)) {
            out.append('-').append(end);
        }
    }
}
