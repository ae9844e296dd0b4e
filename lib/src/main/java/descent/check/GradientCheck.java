package descent.check;

import descent.loss.Loss;
import java.util.Arrays;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * Checks an analytic gradient against central finite differences.
 *
 * <p>For a scalar function f of an array x, the numeric gradient of element i is
 * <pre>
 *   n_i = ( f(x + eps * e_i) - f(x - eps * e_i) ) / (2 * eps)      (e_i = 1 at i, 0 elsewhere)
 * </pre>
 * and it is compared with the analytic gradient a_i by the <em>relative error</em>
 * <pre>
 *   rel_i = |a_i - n_i| / max(|a_i| + |n_i|, TINY)                 (TINY = 1e-12)
 * </pre>
 * which lies in [0, 1]: 0 when they agree exactly, 1 when they have opposite signs or one is 0 and the other
 * not. TINY only keeps 0/0 away: where both are below ~1e-12 the error is |a_i - n_i| / 1e-12. The check
 * returns the largest rel_i, where it occurred, and both values there.
 *
 * <p>In double precision with the default eps = 1e-5, a correct gradient of a smooth function typically gives a
 * maximum relative error below 1e-7, and a wrong one something near 1e-2 or more. Two limits: the difference
 * f(x + eps e_i) - f(x - eps e_i) carries rounding error of about 1e-16 |f|, so a component much smaller than f
 * itself (|a_i| below ~1e-5 |f|) can show a relative error near 1e-6 even when it is right (a smaller eps makes
 * this worse, a larger one adds truncation error of order eps^2); and near a kink (ReLU at 0, |r| at 0, hinge at
 * the margin) the two evaluations straddle it and disagree with any one-sided choice: check away from kinks.
 *
 * <pre>{@code
 * GradientCheck.Result r = GradientCheck.of(Losses.create("huber"), prediction, target);
 * r.maxRelativeError();     // e.g. 3.1e-10
 *
 * // any scalar function, here a two-layer network's loss with respect to W1:
 * GradientCheck.check(w -> loss.value(forward(x, w, b1, W2, b2), y), W1, dW1);
 * }</pre>
 *
 * x is never modified: f receives a fresh DOUBLE copy of x with one element perturbed (so in-place operations
 * inside f are harmless), and must compute its value from that argument, not from a captured x.
 */
public final class GradientCheck {

    /** The default finite-difference step, 1e-5: balances rounding error (~1e-16/eps) and truncation (~eps^2). */
    public static final double DEFAULT_EPS = 1e-5;

    /** The floor of the relative error's denominator. */
    public static final double TINY = 1e-12;

    private GradientCheck() {}

    /**
     * The outcome of a check: the largest relative error, the index where it occurred, and the analytic and
     * numeric gradient there.
     */
    public record Result(double maxRelativeError, long[] worstIndex, double analytic, double numeric) {

        public Result {
            worstIndex = worstIndex.clone();
        }

        @Override
        public long[] worstIndex() {
            return worstIndex.clone();
        }

        /** Whether the largest relative error is at most {@code tolerance}. */
        public boolean passes(double tolerance) {
            return maxRelativeError <= tolerance;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Result r
                    && Double.compare(maxRelativeError, r.maxRelativeError) == 0
                    && Arrays.equals(worstIndex, r.worstIndex)
                    && Double.compare(analytic, r.analytic) == 0
                    && Double.compare(numeric, r.numeric) == 0;
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(worstIndex) + Double.hashCode(maxRelativeError);
        }

        @Override
        public String toString() {
            return String.format("max relative error %.3e at %s (analytic %.10g, numeric %.10g)",
                    maxRelativeError, Arrays.toString(worstIndex), analytic, numeric);
        }
    }

    /** Checks {@code loss.gradient} against finite differences of {@code loss.value}, step {@link #DEFAULT_EPS}. */
    public static Result of(Loss loss, INDArray prediction, INDArray target) {
        return of(loss, prediction, target, DEFAULT_EPS);
    }

    /** Checks {@code loss.gradient} against finite differences of {@code loss.value} with step {@code eps}. */
    public static Result of(Loss loss, INDArray prediction, INDArray target, double eps) {
        if (loss == null) {
            throw new IllegalArgumentException("loss is null");
        }
        INDArray analytic = loss.gradient(prediction, target);
        return check(p -> loss.value(p, target), prediction, analytic, eps);
    }

    /** {@link #check(Function, INDArray, INDArray, double)} with step {@link #DEFAULT_EPS}. */
    public static Result check(Function<INDArray, Double> f, INDArray x, INDArray analyticGrad) {
        return check(f, x, analyticGrad, DEFAULT_EPS);
    }

    /**
     * Compares {@code analyticGrad} with the central-difference gradient of {@code f} at {@code x}.
     *
     * @param f a scalar function of an array shaped like x
     * @param x where to check; not modified
     * @param analyticGrad the claimed gradient df/dx, same shape as x
     * @param eps the finite-difference step, &gt; 0
     * @throws IllegalArgumentException if shapes differ, x is empty, eps is not a positive finite number, the
     *     analytic gradient has a NaN or infinite element, or f returns a NaN or infinite value
     */
    public static Result check(Function<INDArray, Double> f, INDArray x, INDArray analyticGrad, double eps) {
        if (f == null || x == null || analyticGrad == null) {
            throw new IllegalArgumentException((f == null ? "f" : x == null ? "x" : "analyticGrad") + " is null");
        }
        if (!Arrays.equals(x.shape(), analyticGrad.shape())) {
            throw new IllegalArgumentException("x shape " + Arrays.toString(x.shape())
                    + " and analytic gradient shape " + Arrays.toString(analyticGrad.shape()) + " differ");
        }
        double[] analytic = analyticGrad.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < analytic.length; i++) {
            if (!Double.isFinite(analytic[i])) {
                throw new IllegalArgumentException("analytic gradient has " + analytic[i] + " at "
                        + index(x.shape(), i));
            }
        }
        double[] numeric = numericGradient(f, x, eps).dup('c').data().asDouble();
        double worst = -1.0;
        int worstAt = 0;
        for (int i = 0; i < analytic.length; i++) {
            double error = relativeError(analytic[i], numeric[i]);
            if (error > worst) {
                worst = error;
                worstAt = i;
            }
        }
        long[] worstIndex = x.rank() == 0 ? new long[0] : Shape.ind2subC(x.shape(), worstAt);
        return new Result(worst, worstIndex, analytic[worstAt], numeric[worstAt]);
    }

    /**
     * The central-difference gradient of {@code f} at {@code x}, as a DOUBLE array shaped like x; x is not
     * modified. Costs 2 evaluations of f per element.
     */
    public static INDArray numericGradient(Function<INDArray, Double> f, INDArray x, double eps) {
        if (f == null || x == null) {
            throw new IllegalArgumentException((f == null ? "f" : "x") + " is null");
        }
        if (!(eps > 0.0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("eps must be a positive finite number, got " + eps);
        }
        if (x.length() == 0) {
            throw new IllegalArgumentException("x is empty, shape " + Arrays.toString(x.shape()));
        }
        INDArray probe = x.castTo(DataType.DOUBLE).dup('c');
        INDArray grad = probe.ulike();
        for (long i = 0; i < probe.length(); i++) {
            double original = probe.getDouble(i);
            probe.putScalar(i, original + eps);
            double plus = evaluate(f, probe, i);
            probe.putScalar(i, original - eps);
            double minus = evaluate(f, probe, i);
            probe.putScalar(i, original);
            grad.putScalar(i, (plus - minus) / (2.0 * eps));
        }
        return grad;
    }

    /** |a - n| / max(|a| + |n|, {@link #TINY}). */
    public static double relativeError(double analytic, double numeric) {
        return Math.abs(analytic - numeric) / Math.max(Math.abs(analytic) + Math.abs(numeric), TINY);
    }

    private static double evaluate(Function<INDArray, Double> f, INDArray probe, long i) {
        Double value = f.apply(probe.dup());
        if (value == null || !Double.isFinite(value)) {
            throw new IllegalArgumentException("f returned " + value + " with element " + index(probe.shape(), i)
                    + " perturbed; it must return a finite number");
        }
        return value;
    }

    private static String index(long[] shape, long i) {
        return shape.length == 0 ? "[]" : Arrays.toString(Shape.ind2subC(shape, i));
    }
}
