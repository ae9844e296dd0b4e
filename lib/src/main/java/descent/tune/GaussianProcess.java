package descent.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Gaussian-process regression (Rasmussen and Williams 2006, "Gaussian Processes for Machine Learning", Algorithm 2.1
 * and section 5.4.1): the surrogate model of the {@code gp} sampler, and a small model to fit and plot in a notebook.
 *
 * <pre>{@code
 * GaussianProcess gp = GaussianProcess.fit(x, y);        // x: n points in [0, 1]^d, y: n values
 * GaussianProcess.Prediction p = gp.predict(new double[] {0.3});
 * p.mean(); p.sd();                                      // posterior of f(0.3): plot mean ± 2 sd
 * }</pre>
 *
 * <p>The model. Inputs are meant to lie in the unit cube (the sampler passes {@link Space#unit} coordinates), which
 * is what the hyper-parameter bounds below assume. Targets are standardized, z = (y - mean(y)) / sd(y) (population
 * standard deviation; 1 when all values are equal), and z = f(x) + noise with f a zero-mean Gaussian process and the
 * noise N(0, σ_n²); predictions are mapped back to the units of y. The kernel is Matérn 5/2 with one length scale
 * per dimension (automatic relevance determination):
 *
 * <pre>
 * r = sqrt( Σ_j (a_j - b_j)² / ℓ_j² ),    k(a, b) = σ_f² (1 + √5 r + 5 r² / 3) exp(-√5 r)
 * </pre>
 *
 * <p>Fit and predict:
 *
 * <pre>
 * K = k(X, X) + σ_n² I = L Lᵀ   (Cholesky),      α = Lᵀ \ (L \ z)
 * log p(z | X) = -½ zᵀ α - Σ_i log L_ii - (n / 2) log 2π                (the log marginal likelihood)
 * at x:  k = k(X, x),  mean = kᵀ α,  v = L \ k,  var = σ_f² - vᵀ v        (of the latent f; a new y adds σ_n²)
 * </pre>
 *
 * <p>Hyper-parameters θ = log(σ_f², ℓ_1, ..., ℓ_d, σ_n²) (scikit-learn's order). The gradient of the log marginal
 * likelihood is ∂/∂θ_j = ½ tr((α αᵀ - K⁻¹) ∂K/∂θ_j) with ∂K/∂log σ_f² = K - σ_n² I, ∂K/∂log σ_n² = σ_n² I and
 * ∂k(a, b)/∂log ℓ_j = σ_f² (5/3) (1 + √5 r) exp(-√5 r) (a_j - b_j)² / ℓ_j². {@link #fit(double[][], double[])}
 * maximizes the log marginal likelihood over θ with a projected L-BFGS ({@code BoxLbfgs}, package-private) inside the bounds
 * ℓ ∈ [0.01, 5], σ_f² ∈ [0.01, 100], σ_n² ∈ [1e-6, 1], from the {@linkplain Hyperparameters#defaults defaults} and
 * from random restarts, and keeps the best; {@link #fit(double[][], double[], Hyperparameters)} takes θ as given.
 * This is scikit-learn's {@code GaussianProcessRegressor(ConstantKernel * Matern(nu=2.5) + WhiteKernel,
 * normalize_y=True, alpha=0)}, which the tests compare it to.
 */
public final class GaussianProcess {

    private static final double SQRT5 = Math.sqrt(5);
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final double[] LENGTH_BOUNDS = {0.01, 5};
    private static final double[] SIGNAL_BOUNDS = {0.01, 100};
    private static final double[] NOISE_BOUNDS = {1e-6, 1};

    /**
     * The kernel's hyper-parameters: one length scale per input dimension, the signal variance σ_f² and the noise
     * variance σ_n² (both in standardized units of y).
     */
    public record Hyperparameters(double[] lengthScales, double signalVariance, double noiseVariance) {

        public Hyperparameters {
            if (lengthScales == null || lengthScales.length == 0) {
                throw new IllegalArgumentException("GaussianProcess: needs at least one length scale");
            }
            lengthScales = lengthScales.clone();
            for (double l : lengthScales) {
                if (!(l > 0) || Double.isInfinite(l)) {
                    throw new IllegalArgumentException("GaussianProcess: length scales must be finite and > 0, got "
                            + Arrays.toString(lengthScales));
                }
            }
            descent.Checks.positive("GaussianProcess", "signalVariance", signalVariance);
            descent.Checks.positive("GaussianProcess", "noiseVariance", noiseVariance);
        }

        /** Where the fit starts: every length scale 0.5 (half the unit cube), σ_f² = 1, σ_n² = 1e-4. */
        public static Hyperparameters defaults(int dimensions) {
            double[] l = new double[descent.Checks.atLeastOne("GaussianProcess", "dimensions", dimensions)];
            Arrays.fill(l, 0.5);
            return new Hyperparameters(l, 1, 1e-4);
        }

        @Override
        public double[] lengthScales() {
            return lengthScales.clone();
        }

        /** θ = log(σ_f², ℓ_1, ..., ℓ_d, σ_n²). */
        public double[] theta() {
            int d = lengthScales.length;
            double[] t = new double[d + 2];
            t[0] = Math.log(signalVariance);
            for (int j = 0; j < d; j++) {
                t[1 + j] = Math.log(lengthScales[j]);
            }
            t[d + 1] = Math.log(noiseVariance);
            return t;
        }

        /** The hyper-parameters at θ = log(σ_f², ℓ_1, ..., ℓ_d, σ_n²). */
        public static Hyperparameters fromTheta(double[] theta) {
            int d = theta.length - 2;
            double[] l = new double[Math.max(d, 0)];
            for (int j = 0; j < d; j++) {
                l[j] = Math.exp(theta[1 + j]);
            }
            return new Hyperparameters(l, Math.exp(theta[0]), Math.exp(theta[theta.length - 1]));
        }

        @Override
        public String toString() {
            return "Hyperparameters[lengthScales=" + Arrays.toString(lengthScales) + ", signalVariance="
                    + signalVariance + ", noiseVariance=" + noiseVariance + "]";
        }
    }

    /** The posterior of f at a point, in the units of y: its mean and standard deviation. */
    public record Prediction(double mean, double sd) {
    }

    private final double[][] x;
    private final double[] z;
    private final double yMean;
    private final double yScale;
    private final Hyperparameters h;
    private final double[] inverseSquaredLengths;
    private final double[][] chol;
    private final double[] alpha;
    private final double lml;

    private GaussianProcess(double[][] x, double[] z, double yMean, double yScale, Hyperparameters h) {
        this.x = x;
        this.z = z;
        this.yMean = yMean;
        this.yScale = yScale;
        this.h = h;
        int n = x.length;
        inverseSquaredLengths = new double[h.lengthScales.length];
        for (int j = 0; j < inverseSquaredLengths.length; j++) {
            inverseSquaredLengths[j] = 1 / (h.lengthScales[j] * h.lengthScales[j]);
        }
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                k[i][j] = kernel(x[i], x[j]);
            }
            k[i][i] += h.noiseVariance;
        }
        chol = cholesky(k);
        alpha = backward(chol, forward(chol, z));
        double logDet = 0;
        for (int i = 0; i < n; i++) {
            logDet += Math.log(chol[i][i]);
        }
        double fit = 0;
        for (int i = 0; i < n; i++) {
            fit += z[i] * alpha[i];
        }
        lml = -0.5 * fit - logDet - 0.5 * n * LOG_2PI;
    }

    /** A Gaussian process through ({@code x}, {@code y}) with the given hyper-parameters (nothing is fitted). */
    public static GaussianProcess fit(double[][] x, double[] y, Hyperparameters hyperparameters) {
        check(x, y);
        if (hyperparameters.lengthScales.length != x[0].length) {
            throw new IllegalArgumentException("GaussianProcess: " + hyperparameters.lengthScales.length
                    + " length scales for " + x[0].length + "-dimensional inputs");
        }
        double[] ms = meanAndScale(y);
        return new GaussianProcess(copy(x), standardize(y, ms), ms[0], ms[1], hyperparameters);
    }

    /**
     * A Gaussian process through ({@code x}, {@code y}) whose hyper-parameters maximize the log marginal likelihood:
     * L-BFGS from the {@linkplain Hyperparameters#defaults defaults} and from 4 random restarts (seeded, so the result
     * repeats), the best of them.
     */
    public static GaussianProcess fit(double[][] x, double[] y) {
        check(x, y);
        return fit(x, y, List.of(Hyperparameters.defaults(x[0].length)), 4, new SplittableRandom(0), 200);
    }

    /**
     * Maximum likelihood from each of {@code starts} and from {@code restarts} random hyper-parameters (length scales
     * log-uniform in [0.05, 2], σ_f² in [0.3, 3], σ_n² in [1e-6, 1e-2]), at most {@code maxIterations} L-BFGS steps
     * each; the best.
     */
    static GaussianProcess fit(double[][] x, double[] y, List<Hyperparameters> starts, int restarts,
            SplittableRandom rng, int maxIterations) {
        check(x, y);
        int d = x[0].length;
        double[][] xs = copy(x);
        double[] ms = meanAndScale(y);
        double[] z = standardize(y, ms);
        double[] lo = new double[d + 2];
        double[] hi = new double[d + 2];
        lo[0] = Math.log(SIGNAL_BOUNDS[0]);
        hi[0] = Math.log(SIGNAL_BOUNDS[1]);
        Arrays.fill(lo, 1, d + 1, Math.log(LENGTH_BOUNDS[0]));
        Arrays.fill(hi, 1, d + 1, Math.log(LENGTH_BOUNDS[1]));
        lo[d + 1] = Math.log(NOISE_BOUNDS[0]);
        hi[d + 1] = Math.log(NOISE_BOUNDS[1]);
        List<double[]> thetas = new ArrayList<>();
        for (Hyperparameters s : starts) {
            if (s.lengthScales.length != d) {
                throw new IllegalArgumentException("GaussianProcess: a start has " + s.lengthScales.length
                        + " length scales for " + d + "-dimensional inputs");
            }
            thetas.add(s.theta());
        }
        for (int r = 0; r < restarts; r++) {
            double[] t = new double[d + 2];
            t[0] = logUniform(rng, 0.3, 3);
            for (int j = 1; j <= d; j++) {
                t[j] = logUniform(rng, 0.05, 2);
            }
            t[d + 1] = logUniform(rng, 1e-6, 1e-2);
            thetas.add(t);
        }
        BoxLbfgs.Function negativeLml = (theta, gradient) -> {
            GaussianProcess gp;
            try {
                gp = new GaussianProcess(xs, z, ms[0], ms[1], Hyperparameters.fromTheta(theta));
            } catch (IllegalStateException notPositiveDefinite) {
                return Double.POSITIVE_INFINITY;
            }
            double[] g = gp.logMarginalLikelihoodGradient();
            for (int j = 0; j < g.length; j++) {
                gradient[j] = -g[j];
            }
            return -gp.lml;
        };
        BoxLbfgs.Result best = null;
        for (double[] t : thetas) {
            BoxLbfgs.Result r = BoxLbfgs.minimize(negativeLml, t, lo, hi, maxIterations);
            if (best == null || r.value() < best.value()) {
                best = r;
            }
        }
        return new GaussianProcess(xs, z, ms[0], ms[1], Hyperparameters.fromTheta(best.x()));
    }

    /** The posterior of f at {@code point}. */
    public Prediction predict(double[] point) {
        if (point.length != x[0].length) {
            throw new IllegalArgumentException("GaussianProcess: a " + point.length + "-dimensional point for a model of "
                    + x[0].length + " dimensions");
        }
        double[] p = posterior(point, null, null);
        return new Prediction(p[0], p[1]);
    }

    /** The posterior of f at each of {@code points}. */
    public Prediction[] predict(double[][] points) {
        Prediction[] out = new Prediction[points.length];
        for (int i = 0; i < points.length; i++) {
            out[i] = predict(points[i]);
        }
        return out;
    }

    /** log p(z | X, θ) of the standardized targets z. */
    public double logMarginalLikelihood() {
        return lml;
    }

    /** ∂ log p(z | X, θ) / ∂θ for θ = log(σ_f², ℓ_1, ..., ℓ_d, σ_n²) (see the class comment). */
    public double[] logMarginalLikelihoodGradient() {
        int n = x.length;
        int d = inverseSquaredLengths.length;
        double[][] kInv = inverseFromCholesky(chol);
        double[] g = new double[d + 2];
        for (int i = 0; i < n; i++) {
            double w = alpha[i] * alpha[i] - kInv[i][i];
            g[0] += 0.5 * w * h.signalVariance;
            g[d + 1] += 0.5 * w * h.noiseVariance;
            for (int k = 0; k < i; k++) {
                w = alpha[i] * alpha[k] - kInv[i][k]; // off the diagonal: counted twice, so no ½
                double r = distance(x[i], x[k]);
                double e = Math.exp(-SQRT5 * r);
                g[0] += w * h.signalVariance * (1 + SQRT5 * r + 5 * r * r / 3) * e;
                double common = w * h.signalVariance * (5.0 / 3) * (1 + SQRT5 * r) * e;
                for (int j = 0; j < d; j++) {
                    double diff = x[i][j] - x[k][j];
                    g[1 + j] += common * diff * diff * inverseSquaredLengths[j];
                }
            }
        }
        return g;
    }

    /** The hyper-parameters this model uses. */
    public Hyperparameters hyperparameters() {
        return h;
    }

    /**
     * {mean, sd} of f at {@code point} in the units of y; when {@code dMean} and {@code dSd} are given, writes their
     * gradients with respect to the point into them (sd's is 0 where sd is 0).
     */
    double[] posterior(double[] point, double[] dMean, double[] dSd) {
        int n = x.length;
        int d = point.length;
        double[] k = new double[n];
        double[] slope = dMean == null ? null : new double[n]; // ∂k_i/∂r / r, so that ∂k_i/∂x_j = slope_i (x_j - X_ij)/ℓ_j²
        double mean = 0;
        for (int i = 0; i < n; i++) {
            double r = distance(point, x[i]);
            double e = Math.exp(-SQRT5 * r);
            k[i] = h.signalVariance * (1 + SQRT5 * r + 5 * r * r / 3) * e;
            mean += k[i] * alpha[i];
            if (slope != null) {
                slope[i] = -h.signalVariance * (5.0 / 3) * (1 + SQRT5 * r) * e;
            }
        }
        double[] v = forward(chol, k);
        double var = h.signalVariance;
        for (double vi : v) {
            var -= vi * vi;
        }
        double sd = Math.sqrt(Math.max(var, 0));
        if (dMean != null) {
            double[] w = backward(chol, v); // K⁻¹ k: var = σ_f² - kᵀ K⁻¹ k, so ∂var/∂x = -2 wᵀ ∂k/∂x
            for (int j = 0; j < d; j++) {
                double dm = 0;
                double dv = 0;
                for (int i = 0; i < n; i++) {
                    double dk = slope[i] * (point[j] - x[i][j]) * inverseSquaredLengths[j];
                    dm += alpha[i] * dk;
                    dv -= 2 * w[i] * dk;
                }
                dMean[j] = dm * yScale;
                dSd[j] = sd > 0 ? dv / (2 * sd) * yScale : 0;
            }
        }
        return new double[] {mean * yScale + yMean, sd * yScale};
    }

    private double kernel(double[] a, double[] b) {
        double r = distance(a, b);
        return h.signalVariance * (1 + SQRT5 * r + 5 * r * r / 3) * Math.exp(-SQRT5 * r);
    }

    private double distance(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double diff = a[j] - b[j];
            s += diff * diff * inverseSquaredLengths[j];
        }
        return Math.sqrt(s);
    }

    /** L with L Lᵀ = a (a's lower triangle is read). */
    private static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalStateException("GaussianProcess: the kernel matrix is not positive definite");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    /** L \ b. */
    private static double[] forward(double[][] l, double[] b) {
        double[] out = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * out[k];
            }
            out[i] = s / l[i][i];
        }
        return out;
    }

    /** Lᵀ \ b. */
    private static double[] backward(double[][] l, double[] b) {
        double[] out = new double[b.length];
        for (int i = b.length - 1; i >= 0; i--) {
            double s = b[i];
            for (int k = i + 1; k < b.length; k++) {
                s -= l[k][i] * out[k];
            }
            out[i] = s / l[i][i];
        }
        return out;
    }

    /** (L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹, lower triangle filled (the only part read). */
    private static double[][] inverseFromCholesky(double[][] l) {
        int n = l.length;
        double[][] m = new double[n][n]; // m[c] = column c of L⁻¹ (its entries c..n-1), so the loops run along rows
        for (int c = 0; c < n; c++) {
            double[] mc = m[c];
            mc[c] = 1 / l[c][c];
            for (int i = c + 1; i < n; i++) {
                double[] li = l[i];
                double s = 0;
                for (int k = c; k < i; k++) {
                    s -= li[k] * mc[k];
                }
                mc[i] = s / li[i];
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double[] mi = m[i];
                double[] mj = m[j];
                double s = 0;
                for (int k = i; k < n; k++) {
                    s += mi[k] * mj[k];
                }
                inv[i][j] = s;
            }
        }
        return inv;
    }

    private static void check(double[][] x, double[] y) {
        if (x == null || y == null || x.length == 0) {
            throw new IllegalArgumentException("GaussianProcess: needs at least one point");
        }
        if (x.length != y.length) {
            throw new IllegalArgumentException("GaussianProcess: " + x.length + " points but " + y.length + " values");
        }
        int d = x[0].length;
        if (d == 0) {
            throw new IllegalArgumentException("GaussianProcess: points need at least one coordinate");
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != d) {
                throw new IllegalArgumentException("GaussianProcess: point " + i + " has " + x[i].length
                        + " coordinates, point 0 has " + d);
            }
            for (double v : x[i]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("GaussianProcess: point " + i + " is " + Arrays.toString(x[i]));
                }
            }
            if (!Double.isFinite(y[i])) {
                throw new IllegalArgumentException("GaussianProcess: value " + i + " is " + y[i]);
            }
        }
    }

    private static double[][] copy(double[][] x) {
        double[][] c = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            c[i] = x[i].clone();
        }
        return c;
    }

    /** {mean, population standard deviation (1 if 0)} of y. */
    private static double[] meanAndScale(double[] y) {
        double m = 0;
        for (double v : y) {
            m += v;
        }
        m /= y.length;
        double ss = 0;
        for (double v : y) {
            ss += (v - m) * (v - m);
        }
        double sd = Math.sqrt(ss / y.length);
        return new double[] {m, sd > 0 ? sd : 1};
    }

    private static double[] standardize(double[] y, double[] meanAndScale) {
        double[] z = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            z[i] = (y[i] - meanAndScale[0]) / meanAndScale[1];
        }
        return z;
    }

    private static double logUniform(SplittableRandom rng, double lo, double hi) {
        return Math.log(lo) + rng.nextDouble() * (Math.log(hi) - Math.log(lo));
    }
}
