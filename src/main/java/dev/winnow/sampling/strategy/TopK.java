package dev.winnow.sampling.strategy;

import java.util.BitSet;

/** The k highest scores among the rows not excluded, highest first, ties by the seed. */
public final class TopK {
    private TopK() {
    }

    public static Ranking select(double[] scores, BitSet excluded, int k, TieBreak tie) {
        // a bounded heap with the weakest chosen row on top: O(N log k), O(k) memory
        int[] heap = new int[k];
        int size = 0;
        for (int r = excluded.nextClearBit(0); r < scores.length; r = excluded.nextClearBit(r + 1)) {
            if (size < k) {
                heap[size] = r;
                up(heap, size++, scores, tie);
            } else if (better(r, heap[0], scores, tie)) {
                heap[0] = r;
                down(heap, size, scores, tie);
            }
        }
        int[] rows = new int[size];
        for (int i = size - 1; i >= 0; i--) {
            rows[i] = heap[0];
            heap[0] = heap[i];
            down(heap, i, scores, tie);
        }
        double[] s = new double[size];
        for (int i = 0; i < size; i++) {
            s[i] = scores[rows[i]];
        }
        return new Ranking(rows, s);
    }

    static boolean better(int a, int b, double[] s, TieBreak tie) {
        return s[a] > s[b] || (s[a] == s[b] && tie.before(a, b));
    }

    private static void up(int[] h, int i, double[] s, TieBreak tie) {
        while (i > 0) {
            int p = (i - 1) / 2;
            if (!better(h[p], h[i], s, tie)) {
                break;
            }
            int t = h[p];
            h[p] = h[i];
            h[i] = t;
            i = p;
        }
    }

    private static void down(int[] h, int n, double[] s, TieBreak tie) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= n) {
                return;
            }
            int w = l + 1 < n && better(h[l], h[l + 1], s, tie) ? l + 1 : l;
            if (!better(h[i], h[w], s, tie)) {
                return;
            }
            int t = h[i];
            h[i] = h[w];
            h[w] = t;
            i = w;
        }
    }
}
