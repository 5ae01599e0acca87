package dev.winnow.sampling.strategy;

/** Small dense kernels on float rows stored in flat arrays. */
final class Vectors {
    private Vectors() {
    }

    /** Squared Euclidean distance; four accumulators let the CPU overlap the adds. */
    static float dist2(float[] a, int ao, float[] b, int bo, int d) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < d; i += 4) {
            float x0 = a[ao + i] - b[bo + i];
            float x1 = a[ao + i + 1] - b[bo + i + 1];
            float x2 = a[ao + i + 2] - b[bo + i + 2];
            float x3 = a[ao + i + 3] - b[bo + i + 3];
            s0 += x0 * x0;
            s1 += x1 * x1;
            s2 += x2 * x2;
            s3 += x3 * x3;
        }
        for (; i < d; i++) {
            float x = a[ao + i] - b[bo + i];
            s0 += x * x;
        }
        return (s0 + s1) + (s2 + s3);
    }

    static double dot(float[] a, int ao, float[] b, int bo, int d) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < d; i += 4) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
        }
        for (; i < d; i++) {
            s0 += a[ao + i] * b[bo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
