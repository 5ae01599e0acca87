package dev.winnow.sampling.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KCenterTest {

    /** farthest() walks the free rows a word at a time: the same row as the general argmax, ties and all. */
    @Test
    void farthestIsTheArgmaxOfTheDistanceOverFreeRows() {
        Random r = new Random(11);
        for (int n : new int[] {1, 63, 64, 65, 130, 1000}) {
            float[] data = new float[n * 3];
            for (int i = 0; i < data.length; i++) {
                // few distinct values, so many rows tie
                data[i] = r.nextInt(3);
            }
            BitSet excluded = new BitSet();
            for (int i = 0; i < n; i++) {
                if (r.nextInt(4) == 0 && i != n - 1) {
                    excluded.set(i);
                }
            }
            TieBreak tie = new TieBreak(n);
            try (KCenter kc = new KCenter(new ArrayMatrix(data, n, 3), excluded)) {
                // with no centre every free row is +inf: the tie decides
                assertEquals(kc.argmax(kc::distance2, tie), kc.farthest(tie));
                kc.seed(Coreset.rows(excluded));
                for (int step = 0; step < Math.min(n - excluded.cardinality(), 20); step++) {
                    int expected = kc.argmax(kc::distance2, tie);
                    assertEquals(expected, kc.farthest(tie), "n=" + n + " step " + step);
                    kc.add(expected);
                }
            }
        }
    }
}
