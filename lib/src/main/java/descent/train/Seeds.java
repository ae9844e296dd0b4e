package descent.train;

import java.util.SplittableRandom;

/**
 * Where the trainer's random numbers come from: every random choice is a function of the run's seed, the epoch and
 * the batch, so a run is reproducible and a resumed run continues exactly.
 *
 * <pre>
 *   order of epoch e          permutation(n, mix(seed, e))
 *   augmentation of batch b   new SplittableRandom(mix(seed, e, b))
 *   dropout masks of batch b  model.reseed(mix(seed, e, b, 1))
 * </pre>
 */
final class Seeds {

    private Seeds() {
    }

    /** A Fisher-Yates permutation of 0..n-1 from a seed. */
    static int[] permutation(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Mixes numbers into one well-spread seed (SplitMix64 finalizer applied after each value). */
    static long mix(long... values) {
        long h = 0x9E3779B97F4A7C15L;
        for (long v : values) {
            h ^= v;
            h += 0x9E3779B97F4A7C15L;
            h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
            h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
            h = h ^ (h >>> 31);
        }
        return h;
    }
}
