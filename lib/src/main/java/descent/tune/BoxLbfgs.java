package descent.tune;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Minimizes a smooth function of a few variables inside a box {@code lo <= x <= hi}: a projected L-BFGS, used to fit
 * the {@link GaussianProcess}'s hyper-parameters and to maximize the {@link GpSampler}'s acquisition.
 *
 * <pre>
 * x = clip(x0);  f, g = f(x)
 * repeat up to maxIterations times:
 *     held = { i : x_i at lo_i with g_i > 0, or at hi_i with g_i < 0, or lo_i == hi_i }  (the box stops them)
 *     p = g with the held components set to 0;  stop if max |p_i| <= 1e-5
 *     d = -H p   (L-BFGS two-loop recursion over the last 8 pairs (s, y); held components of d set to 0)
 *     if d . p >= 0: d = -p, forget the pairs
 *     t = 1 (first iteration: 1 / max|p|, a first move of at most 1 in any coordinate)
 *     backtrack t = t/2 until f(clip(x + t d)) <= f + 1e-4 g . (clip(x + t d) - x)   (Armijo, along the bent path)
 *     keep the pair (s, y) = (x' - x, g' - g) when s . y > 0;  stop when f fell by at most 2.2e-9 max(1, |f|, |f'|)
 * </pre>
 *
 * This is the "two-metric projection" simplification of L-BFGS-B (Bertsekas 1982; Byrd, Lu, Nocedal and Zhu 1995,
 * "A limited memory algorithm for bound constrained optimization", whose Cauchy-point subspace step it leaves out):
 * the variables that the box stops are held, the others take the quasi-Newton step, and the step is projected back
 * into the box. The stopping tolerances are SciPy's L-BFGS-B defaults (pgtol 1e-5, factr 1e7 × machine epsilon).
 * Enough for the dozen variables of a GP fit.
 */
final class BoxLbfgs {

    /** A function and its gradient. */
    @FunctionalInterface
    interface Function {
        /** The value at {@code x}; writes the gradient into {@code gradient}. */
        double valueAndGradient(double[] x, double[] gradient);
    }

    /** Where the search ended and the value there. */
    record Result(double[] x, double value) {
    }

    private static final int MEMORY = 8;

    private BoxLbfgs() {
    }

    /** The minimum found from {@code x0} (clipped into the box) within {@code maxIterations} steps. */
    static Result minimize(Function f, double[] x0, double[] lo, double[] hi, int maxIterations) {
        int n = x0.length;
        double[] x = clip(x0, lo, hi);
        double[] g = new double[n];
        double fx = f.valueAndGradient(x, g);
        Deque<double[][]> pairs = new ArrayDeque<>(); // {s, y}, newest first
        for (int it = 0; it < maxIterations; it++) {
            double[] p = g.clone();
            for (int i = 0; i < n; i++) {
                if (lo[i] == hi[i] || (x[i] <= lo[i] && g[i] > 0) || (x[i] >= hi[i] && g[i] < 0)) {
                    p[i] = 0;
                }
            }
            double pMax = 0;
            for (double v : p) {
                pMax = Math.max(pMax, Math.abs(v));
            }
            if (pMax <= 1e-5) {
                break;
            }
            double[] d = twoLoop(p, pairs);
            for (int i = 0; i < n; i++) {
                d[i] = p[i] == 0 ? 0 : -d[i];
            }
            if (dot(d, p) >= 0) {
                pairs.clear();
                for (int i = 0; i < n; i++) {
                    d[i] = -p[i];
                }
            }
            double t = pairs.isEmpty() ? Math.min(1, 1 / pMax) : 1;
            double[] xNew = null;
            double[] gNew = new double[n];
            double fNew = Double.NaN;
            for (int k = 0; k < 40; k++, t /= 2) {
                double[] step = new double[n];
                for (int i = 0; i < n; i++) {
                    step[i] = x[i] + t * d[i];
                }
                double[] candidate = clip(step, lo, hi);
                double decrease = 0;
                for (int i = 0; i < n; i++) {
                    decrease += g[i] * (candidate[i] - x[i]);
                }
                if (decrease == 0) {
                    break;
                }
                double ft = f.valueAndGradient(candidate, gNew);
                if (ft <= fx + 1e-4 * decrease) {
                    xNew = candidate;
                    fNew = ft;
                    break;
                }
            }
            if (xNew == null) {
                break;
            }
            double[] s = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = xNew[i] - x[i];
                y[i] = gNew[i] - g[i];
            }
            if (dot(s, y) > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
                pairs.addFirst(new double[][] {s, y});
                if (pairs.size() > MEMORY) {
                    pairs.removeLast();
                }
            }
            double fell = fx - fNew;
            x = xNew;
            g = gNew;
            fx = fNew;
            if (fell <= 2.2e-9 * Math.max(1, Math.max(Math.abs(fx), Math.abs(fx + fell)))) {
                break;
            }
        }
        return new Result(x, fx);
    }

    /** H p by the L-BFGS two-loop recursion (Nocedal and Wright, Algorithm 7.4); p itself with no pairs. */
    private static double[] twoLoop(double[] p, Deque<double[][]> pairs) {
        double[] q = p.clone();
        if (pairs.isEmpty()) {
            return q;
        }
        double[] alpha = new double[pairs.size()];
        int k = 0;
        for (double[][] sy : pairs) {
            alpha[k] = dot(sy[0], q) / dot(sy[1], sy[0]);
            axpy(-alpha[k++], sy[1], q);
        }
        double[][] newest = pairs.peekFirst();
        double gamma = dot(newest[0], newest[1]) / dot(newest[1], newest[1]);
        for (int i = 0; i < q.length; i++) {
            q[i] *= gamma;
        }
        Iterator<double[][]> oldestFirst = pairs.descendingIterator();
        for (k = pairs.size() - 1; k >= 0; k--) {
            double[][] sy = oldestFirst.next();
            double beta = dot(sy[1], q) / dot(sy[1], sy[0]);
            axpy(alpha[k] - beta, sy[0], q);
        }
        return q;
    }

    private static double[] clip(double[] x, double[] lo, double[] hi) {
        double[] c = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            c[i] = Math.min(hi[i], Math.max(lo[i], x[i]));
        }
        return c;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }
}
