package descent.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How much each parameter matters to a study's objective: its first-order (main-effect) share of the variance of
 * the value, the functional-ANOVA index of Sobol (1993) as Hutter, Hoos and Leyton-Brown (2014, "An Efficient
 * Approach for Assessing Hyperparameter Importance", ICML) apply it to hyper-parameters, with a kernel smoother
 * instead of their random forest.
 *
 * <p>The algorithm, on the COMPLETE trials with unit coordinates {@code u_i = space.unit(params_i)} and values
 * {@code y_i} (n trials, d parameters):
 * <ol>
 *   <li>Surrogate: the Nadaraya–Watson kernel smoother {@code f(u) = Σ_i w_i(u) y_i / Σ_i w_i(u)} with
 *       {@code w_i(u) = exp(-½ Σ_k ((u_k - u_ik) / h_k)²)}, one bandwidth per dimension. The bandwidths minimise
 *       the leave-one-out squared error over the trials, by coordinate descent ({@value #PASSES} passes over the
 *       dimensions, each trying every bandwidth of {@link #BANDWIDTHS}, infinity included: a dimension that does not
 *       help predict is ignored and its main effect is flat).</li>
 *   <li>The parameters are distributed as the random sampler draws them: u uniform in [0, 1] on each dimension's
 *       scale, then snapped to the value it stands for ({@code unit(at(u))}: an integer's or a category's cell
 *       middle).</li>
 *   <li>For parameter j: G = {@value #GRID} values {@code a_g = (g + ½) / G} of u_j and M = {@value #SAMPLES}
 *       random points of the other coordinates (the same M for every g). The main effect is
 *       {@code m_j(a_g) = (1/M) Σ_m f(a_g, U_m)}; the importance is
 *       {@code S_j = Var_g m_j(a_g) / Var_{g,m} f(a_g, U_m)}, between-group over total variance, so
 *       {@code 0 ≤ S_j ≤ 1}.</li>
 * </ol>
 * {@code 1 − Σ_j S_j} is the share left to interactions between parameters; the surrogate's error and the Monte
 * Carlo noise (about 1/M of the rest) move it a little either way, and with few trials small effects come out
 * smaller than they are. Values are used as they are (no log): one huge value weighs a lot. A constant objective has no
 * variance to share: every index is 0. The random points come from a fixed seed, so the result repeats.
 */
public final class Importance {

    /** Grid points along the parameter whose main effect is measured. */
    static final int GRID = 24;
    /** Random points of the other parameters averaged over. */
    static final int SAMPLES = 256;
    /** Coordinate-descent passes of the bandwidth search. */
    static final int PASSES = 2;

    private Importance() {
    }

    /**
     * Every parameter's first-order importance {@code S_j} in [0, 1], most important first. Needs at least 2
     * COMPLETE trials.
     */
    public static Map<String, Double> firstOrder(Study study) {
        List<Trial> done = StudyPlots.completed(study, "Importance");
        if (done.size() < 2) {
            throw new IllegalArgumentException("Importance: needs at least 2 completed trials, the study has "
                    + done.size());
        }
        Space space = study.space();
        double[][] u = new double[done.size()][];
        double[] y = new double[done.size()];
        for (int i = 0; i < y.length; i++) {
            u[i] = space.unit(done.get(i).params());
            y[i] = done.get(i).value();
        }
        double[] s = firstOrder(space, u, y, 0);
        List<Integer> order = new ArrayList<>();
        for (int j = 0; j < s.length; j++) {
            order.add(j);
        }
        order.sort((a, b) -> Double.compare(s[b], s[a]));
        Map<String, Double> out = new LinkedHashMap<>();
        for (int j : order) {
            out.put(space.dimensions().get(j).name(), s[j]);
        }
        return out;
    }

    /** The indices {@code S_j} for points {@code u} (unit coordinates) with values {@code y}, in dimension order. */
    static double[] firstOrder(Space space, double[][] u, double[] y, long seed) {
        int d = space.dimensions().size();
        double[] s = new double[d];
        if (Arrays.stream(y).min().orElse(0) == Arrays.stream(y).max().orElse(0)) {
            return s;
        }
        double[] h = bandwidths(u, y);
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] others = new double[SAMPLES][d];
        for (double[] p : others) {
            for (int k = 0; k < d; k++) {
                p[k] = snap(space.dimensions().get(k), rng.nextDouble());
            }
        }
        double[] point = new double[d];
        for (int j = 0; j < d; j++) {
            double[][] f = new double[GRID][SAMPLES];
            double grand = 0;
            for (int g = 0; g < GRID; g++) {
                for (int m = 0; m < SAMPLES; m++) {
                    System.arraycopy(others[m], 0, point, 0, d);
                    point[j] = snap(space.dimensions().get(j), (g + 0.5) / GRID);
                    f[g][m] = smooth(u, y, point, h);
                    grand += f[g][m] / (GRID * SAMPLES);
                }
            }
            double total = 0;
            double between = 0;
            for (double[] row : f) {
                double mean = 0;
                for (double v : row) {
                    total += (v - grand) * (v - grand) / (GRID * SAMPLES);
                    mean += v / SAMPLES;
                }
                between += (mean - grand) * (mean - grand) / GRID;
            }
            s[j] = Math.min(1, between / total);
        }
        return s;
    }

    /** Candidate bandwidths, in unit coordinates; infinity ignores the dimension. */
    static final double[] BANDWIDTHS = {0.04, 0.06, 0.08, 0.11, 0.15, 0.2, 0.27, 0.36, 0.5, Double.POSITIVE_INFINITY};

    /**
     * One bandwidth per dimension, by coordinate descent on the leave-one-out squared error: starting from 0.2
     * everywhere, {@value #PASSES} passes over the dimensions, each setting one bandwidth to the candidate with the
     * smallest error while the others stay.
     */
    static double[] bandwidths(double[][] u, double[] y) {
        int d = u[0].length;
        double[] h = new double[d];
        Arrays.fill(h, 0.2);
        for (int pass = 0; pass < PASSES; pass++) {
            for (int j = 0; j < d; j++) {
                double best = h[j];
                double bestErr = Double.POSITIVE_INFINITY;
                for (double c : BANDWIDTHS) {
                    h[j] = c;
                    double err = leaveOneOutError(u, y, h);
                    if (err < bestErr) {
                        bestErr = err;
                        best = c;
                    }
                }
                h[j] = best;
            }
        }
        return h;
    }

    /** The sum over trials of the squared error of the smoother fitted to all other trials. */
    private static double leaveOneOutError(double[][] u, double[] y, double[] h) {
        double err = 0;
        double[][] rest = new double[u.length - 1][];
        double[] restY = new double[u.length - 1];
        for (int i = 0; i < u.length; i++) {
            for (int k = 0, m = 0; k < u.length; k++) {
                if (k != i) {
                    rest[m] = u[k];
                    restY[m++] = y[k];
                }
            }
            double e = smooth(rest, restY, u[i], h) - y[i];
            err += e * e;
        }
        return err;
    }

    /** The coordinate of the value that {@code u} stands for on dimension {@code dim}. */
    private static double snap(Space.Dimension dim, double u) {
        return dim.isDiscrete() ? dim.unit(dim.at(u)) : u;
    }

    /** The kernel smoother's prediction at {@code p}. */
    static double smooth(double[][] u, double[] y, double[] p, double[] h) {
        double[] logW = new double[u.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < u.length; i++) {
            double d2 = 0;
            for (int k = 0; k < p.length; k++) {
                double t = (p[k] - u[i][k]) / h[k];
                d2 += t * t;
            }
            logW[i] = -d2 / 2;
            max = Math.max(max, logW[i]);
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < u.length; i++) {
            double w = Math.exp(logW[i] - max);  // shifted by the largest, so far points cannot underflow all to 0
            num += w * y[i];
            den += w;
        }
        return num / den;
    }
}
