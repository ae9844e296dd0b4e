package descent.tune;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import org.apache.commons.math3.special.Erf;

/**
 * The Parzen estimator of {@link TpeSampler}: a weighted mixture with one component per observation plus a prior
 * component, as Optuna 3.1's {@code _ParzenEstimator} with its defaults (consider_prior, prior_weight = 1,
 * consider_magic_clip, consider_endpoints = False, default_weights).
 *
 * <p>Every coordinate lies on [0, 1] (the position of a value in its dimension, log scale for log dimensions; an
 * affine map of Optuna's internal [low, high]) or is a category index. With n observations x_1..x_n (in trial order):
 *
 * <pre>
 * weights     w_i = 1 (i &le; n, n &lt; 25); for n &ge; 25 the oldest n - 25 ramp linearly from 1/n to 1, the
 *             newest 25 get 1; the prior gets 1; then all are divided by their sum
 * numeric     component i = normal(mu_i, sigma_i) truncated to [0, 1]; mu_i = x_i, the prior's mu = 1/2
 *   sigma_i   univariate: the larger gap to its neighbours among the sorted mus and the ends 0 and 1; the first and
 *             the last mu take their inner gap (consider_endpoints = False) once there are two or more mus
 *             multivariate: every sigma = 0.2 &middot; max(n, 1)^(-1 / (d + 4))   (Scott's rule, d dimensions)
 *             then clipped to [1 / min(100, n + 2), 1] (the magic clip); the prior's sigma = 1
 *   cells     an integer dimension with c values has cells of width q = 1/c: the probability of a value is its
 *             component's mass on [x - q/2, x + q/2] (within [0, 1]) over the mass on [0, 1]
 * categorical component i puts 1 + 1/(n+1) on category x_i and 1/(n+1) on every other (the prior: 1/(n+1) on all),
 *             normalized per component
 * score       s(x) = sum_i w_i prod_d p_d(x_d | component i), where a continuous coordinate's
 *             p_d = phi(z) / (Phi((1 - mu_i)/sigma_i) - Phi(-mu_i/sigma_i)) with z = (x_d - mu_i)/sigma_i
 * </pre>
 *
 * <p>The score is Optuna 3.1's "log_pdf", kept as it is: for continuous coordinates it leaves out the 1/sigma_i of a
 * scaled density (Optuna issue #5109; Optuna 3.5 divides by sigma), so it is a density only for integer and
 * categorical coordinates; otherwise it favours wide components over narrow ones. TPE compares l and g through it,
 * so this is part of the algorithm that Optuna 3.1 ran (and, measured on Branin and Hartmann-6, it searched as well as
 * the normalized density or better). Sampling draws from the true mixture. tools/tune/tpe_oracle.py checks the
 * weights, mus, sigmas and scores against Optuna's.
 */
final class ParzenEstimator {

    /** What one coordinate holds. */
    record Coordinate(double step, int categories) {

        /** A real number in [0, 1]. */
        static Coordinate continuous() {
            return new Coordinate(0, 0);
        }

        /** One of {@code cells} equal cells of [0, 1], given by its middle (an integer dimension). */
        static Coordinate cells(int cells) {
            return new Coordinate(1.0 / cells, 0);
        }

        /** A category index 0..categories-1. */
        static Coordinate categorical(int categories) {
            return new Coordinate(0, categories);
        }

        boolean isCategorical() {
            return categories > 0;
        }
    }

    static final double PRIOR_WEIGHT = 1.0;
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private final List<Coordinate> coordinates;
    /** Component weights, the prior's last; they sum to 1. */
    private final double[] weights;
    /** Per coordinate, per component: mu and sigma (null for categorical coordinates). */
    private final double[][] mus;
    private final double[][] sigmas;
    /** Per numeric coordinate, per component: the log of its normal's mass on [0, 1]. */
    private final double[][] logAccept;
    /** Per categorical coordinate, per component, per category: its probability (null for numeric coordinates). */
    private final double[][][] categoryWeights;

    /**
     * The estimator of {@code observations} ({@code [n][coordinates]}: positions in [0, 1] or category indices);
     * {@code multivariate} chooses the bandwidth rule.
     */
    ParzenEstimator(List<Coordinate> coordinates, double[][] observations, boolean multivariate) {
        this.coordinates = List.copyOf(coordinates);
        int n = observations.length;
        int d = coordinates.size();
        double[] w = Arrays.copyOf(defaultWeights(n), n + 1);
        w[n] = PRIOR_WEIGHT;
        double sum = Arrays.stream(w).sum();
        this.weights = Arrays.stream(w).map(x -> x / sum).toArray();
        this.mus = new double[d][];
        this.sigmas = new double[d][];
        this.logAccept = new double[d][];
        this.categoryWeights = new double[d][][];
        double scott = 0.2 * Math.pow(Math.max(n, 1), -1.0 / (d + 4));
        for (int j = 0; j < d; j++) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = observations[i][j];
            }
            Coordinate c = coordinates.get(j);
            if (c.isCategorical()) {
                categoryWeights[j] = categoryWeights(x, c.categories());
            } else {
                mus[j] = Arrays.copyOf(x, n + 1);
                mus[j][n] = 0.5;
                sigmas[j] = multivariate ? filled(n + 1, scott) : gaps(mus[j]);
                double minSigma = 1.0 / Math.min(100.0, n + 2);
                for (int i = 0; i < n; i++) {
                    sigmas[j][i] = Math.min(1, Math.max(minSigma, sigmas[j][i]));
                }
                sigmas[j][n] = 1;
                logAccept[j] = new double[n + 1];
                for (int i = 0; i <= n; i++) {
                    logAccept[j][i] = logGaussMass(-mus[j][i] / sigmas[j][i], (1 - mus[j][i]) / sigmas[j][i]);
                }
            }
        }
    }

    /** Optuna's default_weights: 1 each for n &lt; 25, else a linear ramp from 1/n to 1 for the oldest n - 25. */
    static double[] defaultWeights(int n) {
        double[] w = filled(n, 1);
        int ramp = n - 25;
        for (int i = 0; i < ramp; i++) {
            w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + i * (1 - 1.0 / n) / (ramp - 1);
        }
        return w;
    }

    private static double[] filled(int n, double value) {
        double[] a = new double[n];
        Arrays.fill(a, value);
        return a;
    }

    /** Univariate bandwidths: each mu's larger gap to its neighbours (with 0 and 1 at the ends). */
    private static double[] gaps(double[] mu) {
        int m = mu.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> mu[i]));
        double[] e = new double[m + 2];
        for (int i = 0; i < m; i++) {
            e[i + 1] = mu[order[i]];
        }
        e[m + 1] = 1;
        double[] sorted = new double[m];
        for (int i = 0; i < m; i++) {
            sorted[i] = Math.max(e[i + 1] - e[i], e[i + 2] - e[i + 1]);
        }
        if (m >= 2) {
            sorted[0] = e[2] - e[1];
            sorted[m - 1] = e[m] - e[m - 1];
        }
        double[] sigma = new double[m];
        for (int i = 0; i < m; i++) {
            sigma[order[i]] = sorted[i];
        }
        return sigma;
    }

    private static double[][] categoryWeights(double[] observed, int k) {
        int n = observed.length;
        double[][] cw = new double[n + 1][k];
        for (int i = 0; i <= n; i++) {
            Arrays.fill(cw[i], PRIOR_WEIGHT / (n + 1));
            if (i < n) {
                cw[i][(int) observed[i]] += 1;
            }
            double sum = Arrays.stream(cw[i]).sum();
            for (int c = 0; c < k; c++) {
                cw[i][c] /= sum;
            }
        }
        return cw;
    }

    /** The component weights (the prior's last). */
    double[] weights() {
        return weights.clone();
    }

    /** The components' mus of numeric coordinate {@code j} (the prior's last). */
    double[] mus(int j) {
        return mus[j].clone();
    }

    /** The components' sigmas of numeric coordinate {@code j} (the prior's last). */
    double[] sigmas(int j) {
        return sigmas[j].clone();
    }

    /** The components' category probabilities of categorical coordinate {@code j}: {@code [component][category]}. */
    double[][] categoryWeights(int j) {
        return categoryWeights[j];
    }

    /**
     * {@code size} points drawn from the mixture: a component by weight, then every coordinate from it; a numeric one
     * from its normal truncated to [0, 1], by drawing until a draw lands there (mu lies in [0, 1] and sigma &le; 1, so
     * at least a third of the draws land). Cell coordinates are not yet rounded to their cells.
     */
    double[][] sample(RandomGenerator rng, int size) {
        double[][] out = new double[size][coordinates.size()];
        for (int s = 0; s < size; s++) {
            int i = draw(weights, rng.nextDouble());
            for (int j = 0; j < coordinates.size(); j++) {
                if (coordinates.get(j).isCategorical()) {
                    out[s][j] = draw(categoryWeights[j][i], rng.nextDouble());
                } else {
                    double x;
                    do {
                        x = mus[j][i] + sigmas[j][i] * rng.nextGaussian();
                    } while (x < 0 || x > 1);
                    out[s][j] = x;
                }
            }
        }
        return out;
    }

    /** An index drawn with probabilities {@code p} at the uniform draw {@code u}: how many cumulative sums &lt; u. */
    private static int draw(double[] p, double u) {
        double cum = 0;
        int k = 0;
        for (int c = 0; c < p.length - 1; c++) {
            cum += p[c];
            if (cum < u) {
                k++;
            }
        }
        return k;
    }

    /** log s(x), the score of one point x (a value per coordinate; cell coordinates at their cell middles). */
    double logPdf(double[] x) {
        double[] terms = new double[weights.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < weights.length; i++) {
            double t = Math.log(weights[i]);
            for (int j = 0; j < coordinates.size(); j++) {
                Coordinate c = coordinates.get(j);
                if (c.isCategorical()) {
                    t += Math.log(categoryWeights[j][i][(int) x[j]]);
                    continue;
                }
                double mu = mus[j][i];
                double sigma = sigmas[j][i];
                double accept = logAccept[j][i];
                if (c.step() == 0) {
                    double z = (x[j] - mu) / sigma;
                    t += -z * z / 2 - LOG_SQRT_2PI - accept;
                } else {
                    double lo = Math.max(x[j] - c.step() / 2, 0);
                    double hi = Math.min(x[j] + c.step() / 2, 1);
                    t += logGaussMass((lo - mu) / sigma, (hi - mu) / sigma) - accept;
                }
            }
            terms[i] = t;
            max = Math.max(max, t);
        }
        double sum = 0;
        for (double t : terms) {
            sum += Math.exp(t - max);
        }
        return max + Math.log(sum);
    }

    // The standard normal's tail arithmetic, as Optuna's _truncnorm (after SciPy): log-space throughout so that
    // masses far in a tail keep their precision.

    /** Phi(a), the standard normal CDF. */
    static double ndtr(double a) {
        double x = a / Math.sqrt(2);
        if (x < -1 / Math.sqrt(2)) {
            return 0.5 * Erf.erfc(-x);
        }
        return x < 1 / Math.sqrt(2) ? 0.5 + 0.5 * Erf.erf(x) : 1 - 0.5 * Erf.erfc(x);
    }

    /** log Phi(a); below -20 by the asymptotic series of the tail. */
    static double logNdtr(double a) {
        if (a > 6) {
            return -ndtr(-a);
        }
        if (a > -20) {
            return Math.log(ndtr(a));
        }
        double logLhs = -0.5 * a * a - Math.log(-a) - LOG_SQRT_2PI;
        double last = 0;
        double rhs = 1;
        double numerator = 1;
        double denominator = 1;
        int sign = 1;
        for (int i = 1; Math.abs(last - rhs) > Math.ulp(1.0); i++) {
            last = rhs;
            sign = -sign;
            denominator /= a * a;
            numerator *= 2 * i - 1;
            rhs += sign * numerator * denominator;
        }
        return logLhs + Math.log(rhs);
    }

    /** log(Phi(b) - Phi(a)), the log-mass of the standard normal on [a, b]. */
    static double logGaussMass(double a, double b) {
        if (b <= 0) {
            return logDiff(logNdtr(b), logNdtr(a));
        }
        if (a > 0) {
            return logDiff(logNdtr(-a), logNdtr(-b));
        }
        return Math.log1p(-ndtr(a) - ndtr(-b));
    }

    private static double logDiff(double logP, double logQ) {
        return logP + Math.log1p(-Math.exp(logQ - logP));
    }
}
