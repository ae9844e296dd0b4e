package descent.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * CMA-ES, the covariance matrix adaptation evolution strategy (Hansen 2016, "The CMA Evolution Strategy: A
 * Tutorial", arXiv:1604.00772), asked and told one trial at a time, as Optuna 3.1's {@code CmaEsSampler} (which runs
 * the {@code cmaes} package 0.9.1) with its defaults.
 *
 * <p>The search runs on the unit cube of the real and integer dimensions (their positions, log scale for log
 * dimensions). With n of them, a generation of lambda = 4 + floor(3 ln n) points is drawn from N(m, sigma&sup2; C);
 * start m = (1/2, ..., 1/2), sigma = 1/6 (a sixth of the range), C = I. One generation, points sorted best first
 * (y_k = (x_k - m) / sigma):
 *
 * <pre>
 * weights   w'_i = ln((lambda + 1)/2) - ln i; the best mu = floor(lambda/2) positive, summing to 1; the rest negative
 *           (active CMA), scaled as eq. 53; mu_eff = (sum_{i&le;mu} w'_i)&sup2; / sum_{i&le;mu} w'_i&sup2;
 * rates     c_sigma = (mu_eff + 2)/(n + mu_eff + 5), d_sigma = 1 + 2 max(0, sqrt((mu_eff - 1)/(n + 1)) - 1) + c_sigma,
 *           cc = (4 + mu_eff/n)/(n + 4 + 2 mu_eff/n), c1 = 2/((n + 1.3)&sup2; + mu_eff),
 *           cmu = min(1 - c1, 2 (mu_eff - 2 + 1/mu_eff)/((n + 2)&sup2; + mu_eff))
 * mean      y_w = sum_{i&le;mu} w_i y_i;  m &larr; m + sigma y_w
 * step size p_sigma &larr; (1 - c_sigma) p_sigma + sqrt(c_sigma (2 - c_sigma) mu_eff) C^(-1/2) y_w
 *           sigma &larr; sigma exp(c_sigma/d_sigma (|p_sigma| / E|N(0, I)| - 1))
 * path      h = 1 if |p_sigma| / sqrt(1 - (1 - c_sigma)^(2(g + 1))) &lt; (1.4 + 2/(n + 1)) E|N(0, I)| else 0
 *           pc &larr; (1 - cc) pc + h sqrt(cc (2 - cc) mu_eff) y_w
 * covariance C &larr; (1 + c1 (1 - h) cc (2 - cc) - c1 - cmu sum w) C + c1 pc pc&#7488;
 *                + cmu sum_i w_i&deg; y_i y_i&#7488;
 *           (w_i&deg; = w_i, or n w_i / |C^(-1/2) y_i|&sup2; for negative w_i)
 * </pre>
 *
 * where g counts the generations told so far including this one (as {@code cmaes} 0.9.1). C = B D&sup2; B&#7488; by
 * Commons Math's {@link EigenDecomposition}. A point outside [0, 1]^n is drawn again, up to 10 n times, then clipped.
 *
 * <p>As Optuna: the first trial (until one has completed) is random; categorical dimensions are not searched by
 * CMA-ES but drawn uniformly at random for every trial; with no real or integer dimension every trial is random.
 * (Optuna also falls back to random search when there is a single real dimension; here CMA-ES runs in 1-D too.)
 *
 * <p>Trials in parallel: each {@link #sample} call hands out one new point of the current generation; the update
 * runs once lambda of the generation's points have COMPLETE trials (the first lambda, in the order their results
 * arrived). A FAILED or PRUNED trial does not count: another point of the same generation is drawn in its place
 * (Optuna's rule). Trials are matched to the points handed out by their parameters.
 *
 * <p>State: the random generator, m, sigma, C (with B and D), p_sigma, pc, g, the generation's outstanding points
 * and its results so far; so a sampler serves one space (one study).
 */
public final class CmaEsSampler implements Sampler {

    private final SplittableRandom rng;
    private Space space;
    private Cma cma;
    /** Indices (in the space) of the dimensions CMA-ES searches: the real and integer ones. */
    private int[] searched;
    /** Parameters handed out in this generation whose trials have not ended. */
    private final List<Map<String, Object>> outstanding = new ArrayList<>();
    /** This generation's completed points (positions of the searched dimensions) and values (smaller is better). */
    private final List<double[]> xs = new ArrayList<>();
    private final List<Double> values = new ArrayList<>();
    /** Numbers of the trials already accounted for. */
    private final Set<Integer> ended = new HashSet<>();

    /** A CMA-ES sampler whose draws follow {@code seed}. */
    public CmaEsSampler(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    @Override
    public Map<String, Object> sample(Space space, List<Trial> trials, boolean minimize) {
        List<Space.Dimension> dims = space.dimensions();
        double[] u = space.randomUnit(rng);
        boolean anyComplete = trials.stream().anyMatch(t -> t.state() == Trial.State.COMPLETE);
        if (this.space == null) {
            this.space = space;
            searched = IntStream.range(0, dims.size()).filter(i -> dims.get(i).kind() != Space.Kind.CATEGORICAL)
                    .toArray();
        } else if (this.space != space) {
            throw new IllegalArgumentException("CmaEsSampler: a sampler searches one space (it keeps a search "
                    + "state); create a new one for " + space);
        }
        if (searched.length == 0 || (cma == null && !anyComplete)) {
            return space.at(u);
        }
        if (cma == null) {
            double[] mean = new double[searched.length];
            Arrays.fill(mean, 0.5);
            cma = new Cma(mean, 1.0 / 6);
        }
        collect(space, trials, minimize);
        if (xs.size() >= cma.lambda) {
            double[] v = values.stream().mapToDouble(Double::doubleValue).limit(cma.lambda).toArray();
            cma.tell(xs.subList(0, cma.lambda).toArray(new double[0][]), v);
            xs.clear();
            values.clear();
            outstanding.clear();
        }
        double[] x = cma.ask(rng);
        for (int k = 0; k < searched.length; k++) {
            u[searched[k]] = x[k];
        }
        Map<String, Object> p = space.at(u);
        outstanding.add(p);
        return p;
    }

    /** Moves the ended trials of this generation's points from {@link #outstanding} to the results. */
    private void collect(Space space, List<Trial> trials, boolean minimize) {
        for (Trial t : trials) {
            if (t.state() == Trial.State.RUNNING || !ended.add(t.number())) {
                continue;
            }
            if (outstanding.remove(t.params()) && t.state() == Trial.State.COMPLETE) {
                double[] all = space.unit(t.params());
                double[] x = new double[searched.length];
                for (int k = 0; k < x.length; k++) {
                    x[k] = all[searched[k]];
                }
                xs.add(x);
                values.add(minimize ? t.value() : -t.value());
            }
        }
    }

    /** Generations told so far (0 before the first update). */
    int generation() {
        return cma == null ? 0 : cma.generation;
    }

    @Override
    public String name() {
        return "cmaes";
    }

    /** The CMA-ES state on the unit cube and its ask/tell rule (the class comment's formulas). */
    static final class Cma {
        private static final double EPS = 1e-8;

        final int n;
        final int lambda;
        final int mu;
        final double[] weights;
        final double muEff;
        final double cSigma;
        final double dSigma;
        final double cc;
        final double c1;
        final double cmu;
        final double chiN;

        double[] mean;
        double sigma;
        double[][] c;
        double[] pSigma;
        double[] pc;
        int generation;
        /** C = B diag(D&sup2;) B&#7488;, or null when C changed since. */
        private double[][] b;
        private double[] d;

        Cma(double[] mean, double sigma) {
            this.n = mean.length;
            this.lambda = 4 + (int) Math.floor(3 * Math.log(n));
            this.mu = lambda / 2;
            double[] w = new double[lambda];
            for (int i = 0; i < lambda; i++) {
                w[i] = Math.log((lambda + 1) / 2.0) - Math.log(i + 1);
            }
            this.muEff = squaredSumOverSumOfSquares(w, 0, mu);
            double muEffMinus = squaredSumOverSumOfSquares(w, mu, lambda);
            this.c1 = 2 / ((n + 1.3) * (n + 1.3) + muEff);
            this.cmu = Math.min(1 - c1 - 1e-8, 2 * (muEff - 2 + 1 / muEff) / ((n + 2) * (n + 2) + muEff));
            double minAlpha = Math.min(1 + c1 / cmu, Math.min(1 + 2 * muEffMinus / (muEff + 2),
                    (1 - c1 - cmu) / (n * cmu)));
            double positive = 0;
            double negative = 0;
            for (double x : w) {
                positive += Math.max(x, 0);
                negative += Math.max(-x, 0);
            }
            this.weights = new double[lambda];
            for (int i = 0; i < lambda; i++) {
                weights[i] = w[i] >= 0 ? w[i] / positive : minAlpha * w[i] / negative;
            }
            this.cSigma = (muEff + 2) / (n + muEff + 5);
            this.dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cSigma;
            this.cc = (4 + muEff / n) / (n + 4 + 2 * muEff / n);
            this.chiN = Math.sqrt(n) * (1 - 1.0 / (4 * n) + 1.0 / (21.0 * n * n));
            this.mean = mean.clone();
            this.sigma = sigma;
            this.c = new double[n][n];
            for (int i = 0; i < n; i++) {
                c[i][i] = 1;
            }
            this.pSigma = new double[n];
            this.pc = new double[n];
        }

        private static double squaredSumOverSumOfSquares(double[] w, int from, int to) {
            double s = 0;
            double s2 = 0;
            for (int i = from; i < to; i++) {
                s += w[i];
                s2 += w[i] * w[i];
            }
            return s * s / s2;
        }

        /** A point of N(mean, sigma&sup2; C) in [0, 1]^n: drawn up to 10 n times, then the last one clipped. */
        double[] ask(RandomGenerator rng) {
            eigen();
            double[] x = null;
            for (int attempt = 0; attempt <= 10 * n; attempt++) {
                x = new double[n];
                double[] z = new double[n];
                for (int i = 0; i < n; i++) {
                    z[i] = d[i] * rng.nextGaussian();
                }
                boolean inside = true;
                for (int i = 0; i < n; i++) {
                    x[i] = mean[i] + sigma * dot(b[i], z);
                    inside &= x[i] >= 0 && x[i] <= 1;
                }
                if (inside) {
                    return x;
                }
            }
            for (int i = 0; i < n; i++) {
                x[i] = Math.min(1, Math.max(0, x[i]));
            }
            return x;
        }

        /** One generation's update from its lambda points {@code x} and values (smaller is better). */
        void tell(double[][] x, double[] values) {
            if (x.length != lambda || values.length != lambda) {
                throw new IllegalArgumentException("CMA-ES: tell needs " + lambda + " points and values, got "
                        + x.length + " and " + values.length);
            }
            generation++;
            Integer[] order = new Integer[lambda];
            for (int k = 0; k < lambda; k++) {
                order[k] = k;
            }
            Arrays.sort(order, (p, q) -> Double.compare(values[p], values[q]));
            eigen();
            double[][] y = new double[lambda][n];
            for (int k = 0; k < lambda; k++) {
                for (int i = 0; i < n; i++) {
                    y[k][i] = (x[order[k]][i] - mean[i]) / sigma;
                }
            }
            double[] yw = new double[n];
            for (int k = 0; k < mu; k++) {
                for (int i = 0; i < n; i++) {
                    yw[i] += weights[k] * y[k][i];
                }
            }
            for (int i = 0; i < n; i++) {
                mean[i] += sigma * yw[i];
            }
            double[] cInvSqrtYw = invSqrt(yw);
            double a = Math.sqrt(cSigma * (2 - cSigma) * muEff);
            for (int i = 0; i < n; i++) {
                pSigma[i] = (1 - cSigma) * pSigma[i] + a * cInvSqrtYw[i];
            }
            double normPSigma = Math.sqrt(dot(pSigma, pSigma));
            sigma = Math.min(sigma * Math.exp(cSigma / dSigma * (normPSigma / chiN - 1)), 1e32);
            double h = normPSigma / Math.sqrt(1 - Math.pow(1 - cSigma, 2 * (generation + 1)))
                    < (1.4 + 2.0 / (n + 1)) * chiN ? 1 : 0;
            double ac = h * Math.sqrt(cc * (2 - cc) * muEff);
            for (int i = 0; i < n; i++) {
                pc[i] = (1 - cc) * pc[i] + ac * yw[i];
            }
            double[] wio = new double[lambda];
            double sumW = 0;
            for (int k = 0; k < lambda; k++) {
                double[] cy = invSqrt(y[k]);
                wio[k] = weights[k] >= 0 ? weights[k] : weights[k] * n / (dot(cy, cy) + EPS);
                sumW += weights[k];
            }
            double keep = 1 + c1 * (1 - h) * cc * (2 - cc) - c1 - cmu * sumW;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double rankMu = 0;
                    for (int k = 0; k < lambda; k++) {
                        rankMu += wio[k] * y[k][i] * y[k][j];
                    }
                    c[i][j] = keep * c[i][j] + c1 * pc[i] * pc[j] + cmu * rankMu;
                }
            }
            b = null;
            d = null;
        }

        /** C^(-1/2) v = B D^-1 B&#7488; v (B and D current). */
        private double[] invSqrt(double[] v) {
            double[] t = new double[n];
            for (int k = 0; k < n; k++) {
                for (int i = 0; i < n; i++) {
                    t[k] += b[i][k] * v[i];
                }
                t[k] /= d[k];
            }
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = dot(b[i], t);
            }
            return out;
        }

        /** B and D of C (symmetrized; a negative eigenvalue becomes 1e-8); C is rebuilt from them. */
        private void eigen() {
            if (b != null) {
                return;
            }
            double[][] sym = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    sym[i][j] = (c[i][j] + c[j][i]) / 2;
                }
            }
            EigenDecomposition e = new EigenDecomposition(new Array2DRowRealMatrix(sym, false));
            b = e.getV().getData();
            d = Arrays.stream(e.getRealEigenvalues()).map(v -> Math.sqrt(v < 0 ? EPS : v)).toArray();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int k = 0; k < n; k++) {
                        s += b[i][k] * d[k] * d[k] * b[j][k];
                    }
                    c[i][j] = s;
                }
            }
        }

        private static double dot(double[] a, double[] b) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                s += a[i] * b[i];
            }
            return s;
        }
    }
}
