package dev.winnow.sampling.io;

import dev.winnow.sampling.SamplingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sample ids in row order, kept as the raw UTF-8 bytes of ids.txt plus line offsets: two
 * million ids cost about 30 MB instead of two million String objects. Strings are decoded
 * only for the rows that are asked for.
 */
public final class IdList {
    private final byte[] bytes;
    private final int[] start;
    private final int[] end;
    private final long[] hash;
    private final List<String> sources;
    private final int[] sourceStart;

    private IdList(byte[] bytes, int[] start, int[] end, List<String> sources, int[] sourceStart) {
        this.bytes = bytes;
        this.start = start;
        this.end = end;
        this.sources = sources;
        this.sourceStart = sourceStart;
        this.hash = new long[start.length];
        java.util.stream.IntStream.range(0, start.length).parallel().forEach(i -> hash[i] = hash(bytes, start[i], end[i]));
    }

    /** Reads one or more ids.txt files (shards in part order); names are used in errors. */
    public static IdList read(List<Path> files, List<String> names) {
        List<byte[]> contents = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < files.size(); i++) {
            try {
                byte[] b = Files.readAllBytes(files.get(i));
                contents.add(b);
                total += b.length + 1;
            } catch (NoSuchFileException e) {
                throw new SamplingException(names.get(i) + ": not found");
            } catch (IOException e) {
                throw new SamplingException(names.get(i) + ": cannot read: " + e.getMessage(), e);
            }
        }
        byte[] all = new byte[total];
        int pos = 0;
        int[] starts = new int[1024];
        int[] ends = new int[1024];
        int n = 0;
        int[] sourceStart = new int[files.size()];
        for (int f = 0; f < contents.size(); f++) {
            byte[] b = contents.get(f);
            System.arraycopy(b, 0, all, pos, b.length);
            sourceStart[f] = n;
            int lineStart = pos;
            int limit = pos + b.length;
            int line = 1;
            for (int i = pos; i <= limit; i++) {
                if (i == limit || all[i] == '\n') {
                    int e = i;
                    if (e > lineStart && all[e - 1] == '\r') {
                        e--;
                    }
                    if (e == lineStart) {
                        if (i < limit && !blankTail(all, i, limit)) {
                            throw new SamplingException(names.get(f) + ": line " + line + " is empty");
                        }
                    } else {
                        if (n == starts.length) {
                            starts = Arrays.copyOf(starts, n * 2);
                            ends = Arrays.copyOf(ends, n * 2);
                        }
                        starts[n] = lineStart;
                        ends[n] = e;
                        n++;
                    }
                    lineStart = i + 1;
                    line++;
                }
            }
            pos = limit + 1;
        }
        List<String> sources = new ArrayList<>(names);
        IdList ids = new IdList(all, Arrays.copyOf(starts, n), Arrays.copyOf(ends, n), sources, sourceStart);
        ids.checkUnique();
        return ids;
    }

    /** Ids given in memory (detections files, tests). */
    public static IdList of(List<String> ids, String source) {
        StringBuilder sb = new StringBuilder();
        for (String id : ids) {
            sb.append(id).append('\n');
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        int[] s = new int[ids.size()];
        int[] e = new int[ids.size()];
        int p = 0;
        for (int i = 0; i < ids.size(); i++) {
            s[i] = p;
            p += ids.get(i).getBytes(StandardCharsets.UTF_8).length;
            e[i] = p;
            p++;
        }
        IdList list = new IdList(b, s, e, List.of(source), new int[] {0});
        list.checkUnique();
        return list;
    }

    private static boolean blankTail(byte[] b, int from, int limit) {
        for (int i = from; i < limit; i++) {
            if (b[i] != '\n' && b[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private static long hash(byte[] b, int from, int to) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = from; i < to; i++) {
            h = (h ^ b[i]) * 0x100000001B3L;
            h ^= h >>> 29;
        }
        return h;
    }

    private static long hash(String id) {
        byte[] b = id.getBytes(StandardCharsets.UTF_8);
        return hash(b, 0, b.length);
    }

    public int size() {
        return start.length;
    }

    public String get(int row) {
        return new String(bytes, start[row], end[row] - start[row], StandardCharsets.UTF_8);
    }

    /** The file a row came from and its line there, for error messages. */
    public String where(int row) {
        int f = Arrays.binarySearch(sourceStart, row);
        if (f < 0) {
            f = -f - 2;
        }
        while (f + 1 < sourceStart.length && sourceStart[f + 1] == row) {
            f++;
        }
        return sources.get(f) + " line " + (row - sourceStart[f] + 1);
    }

    public String source() {
        return sources.get(0);
    }

    /** Rows whose id is in the set. */
    public BitSet rowsOf(Set<String> ids) {
        BitSet rows = new BitSet(size());
        if (ids.isEmpty()) {
            return rows;
        }
        Map<Long, List<String>> byHash = new HashMap<>();
        for (String id : ids) {
            byHash.computeIfAbsent(hash(id), k -> new ArrayList<>(1)).add(id);
        }
        for (int i = 0; i < size(); i++) {
            List<String> candidates = byHash.get(hash[i]);
            if (candidates != null && candidates.contains(get(i))) {
                rows.set(i);
            }
        }
        return rows;
    }

    /** Row of each id, -1 when absent; for small id lists such as detections files. */
    public Map<String, Integer> index() {
        Map<String, Integer> m = new HashMap<>(size() * 2);
        for (int i = 0; i < size(); i++) {
            m.put(get(i), i);
        }
        return m;
    }

    // a duplicate id would make "never chosen twice" and exclusion ambiguous. An open-addressing
    // table of the 64-bit hashes finds equal hashes with one memory access per id; only those
    // few are compared as strings.
    private void checkUnique() {
        int cap = Integer.highestOneBit(Math.max(4, size() * 2 - 1)) << 1;
        long[] table = new long[cap];
        java.util.Set<Long> clash = new java.util.HashSet<>();
        for (int i = 0; i < size(); i++) {
            long h = hash[i] == 0 ? 1 : hash[i];
            int slot = (int) (h ^ (h >>> 32)) & (cap - 1);
            while (table[slot] != 0) {
                if (table[slot] == h) {
                    clash.add(hash[i]);
                    break;
                }
                slot = (slot + 1) & (cap - 1);
            }
            table[slot] = h;
        }
        if (clash.isEmpty()) {
            return;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < size(); i++) {
            if (clash.contains(hash[i])) {
                Integer first = seen.putIfAbsent(get(i), i);
                if (first != null) {
                    throw new SamplingException(where(i) + ": duplicate id '" + get(i) + "' (first at "
                            + where(first) + ")");
                }
            }
        }
    }
}
