package descent.tune;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.random.SobolSequenceGenerator;

/**
 * Quasi-random search: the points of a Sobol sequence (Sobol 1967), randomized by a digital shift, mapped onto the
 * space by {@link Space#at}.
 *
 * <pre>
 * x_k    the k-th point (k = 0, 1, ...) of the d-dimensional Sobol sequence: Commons Math 3.6.1's
 *        {@link SobolSequenceGenerator} (Joe and Kuo 2008 direction numbers, up to 1000 dimensions; Gray-code order;
 *        x_0 = 0); every coordinate is a 52-bit binary fraction
 * shift  s, one random 52-bit fraction per dimension, drawn once from the seed
 * u_k    x_k XOR s, bit by bit in every coordinate (a random digital shift, the simplest randomization of a
 *        digital sequence)
 * </pre>
 *
 * <p>Why: the first 2^m points of a Sobol sequence put exactly 2^(m-j) points in each of the 2^j equal intervals of
 * every axis (j &le; m), and projections on pairs of axes are balanced too (the first two axes form a (0, m, 2)-net);
 * random points leave gaps and clumps. The digital shift keeps that balance (XOR with a fixed s permutes the
 * intervals) while making the points depend on the seed, so different seeds give different, equally balanced
 * designs. Integer and categorical dimensions take the cell their coordinate falls in.
 *
 * <p>State: the generator (the next index) and the shift; so a sampler serves one space.
 */
public final class SobolSampler implements Sampler {

    private static final double SCALE = 0x1p52;

    private final long seed;
    private Space space;
    private SobolSequenceGenerator sobol;
    private long[] shift;

    /** A Sobol sampler whose digital shift follows {@code seed}. */
    public SobolSampler(long seed) {
        this.seed = seed;
    }

    @Override
    public Map<String, Object> sample(Space space, List<Trial> trials, boolean minimize) {
        if (this.space == null) {
            int d = space.dimensions().size();
            if (d > 1000) {
                throw new IllegalArgumentException("SobolSampler: the Sobol sequence has at most 1000 dimensions, the "
                        + "space has " + d);
            }
            this.space = space;
            sobol = new SobolSequenceGenerator(d);
            SplittableRandom rng = new SplittableRandom(seed);
            shift = new long[d];
            for (int i = 0; i < d; i++) {
                shift[i] = rng.nextLong(1L << 52);
            }
        } else if (this.space != space) {
            throw new IllegalArgumentException("SobolSampler: a sampler walks one sequence through one space; create a "
                    + "new one for " + space);
        }
        double[] x = sobol.nextVector();
        double[] u = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            u[i] = ((long) (x[i] * SCALE) ^ shift[i]) / SCALE;
        }
        return space.at(u);
    }

    @Override
    public String name() {
        return "sobol";
    }
}
