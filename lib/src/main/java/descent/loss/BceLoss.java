package descent.loss;

/**
 * Binary cross-entropy on probabilities, PyTorch {@code F.binary_cross_entropy(p, y)} (reduction
 * {@code 'mean'}). The prediction holds probabilities in [0, 1] (e.g. a sigmoid output), the target values in
 * [0, 1] (usually 0 or 1).
 *
 * <pre>
 *   l_i = -( y_i * max(log p_i, -100) + (1 - y_i) * max(log(1 - p_i), -100) )
 *   L   = (1/n) * sum_i l_i                                    (n = number of elements)
 *
 *   dL/dp_i = (1/n) * (p_i - y_i) / max(p_i * (1 - p_i), eps)       (eps = 1e-12 in float, see GRADIENT_EPSILON)
 * </pre>
 *
 * As in PyTorch, each log is clamped at -100 so that p = 0 or p = 1 give a finite loss (at most 100 per element),
 * and the gradient is PyTorch's backward formula with its denominator floored at eps (at p = 0 with y = 1 it
 * is about -1e12/n). Inside (0, 1) that is the exact derivative of l_i; where the clamp is active, it is not.
 * {@code log(1 - p)} is computed as PyTorch does, not with {@code log1p}.
 *
 * <p>Name: {@code "bce"}; no options.
 */
public final class BceLoss extends ElementwiseLoss {

    /** The lower clamp of each log term, as in PyTorch. */
    public static final double LOG_CLAMP = -100.0;

    /**
     * The floor of p(1 - p) in the gradient's denominator, as in PyTorch's backward: the float constant 1e-12f,
     * which as a double is 9.999999960041972e-13.
     */
    public static final double GRADIENT_EPSILON = 1e-12f;

    @Override
    public String name() {
        return "bce";
    }

    @Override
    void checkValues(long[] shape, double[] p, double[] y) {
        for (int i = 0; i < p.length; i++) {
            if (p[i] < 0.0 || p[i] > 1.0) {
                throw new IllegalArgumentException("bce: prediction must hold probabilities in [0, 1]; got " + p[i]
                        + " at " + Inputs.index(shape, i) + " (for logits, apply a sigmoid first)");
            }
            if (y[i] < 0.0 || y[i] > 1.0) {
                throw new IllegalArgumentException("bce: target must be in [0, 1]; got " + y[i] + " at "
                        + Inputs.index(shape, i));
            }
        }
    }

    @Override
    double elementValue(double p, double y) {
        double logP = Math.max(Math.log(p), LOG_CLAMP);
        double logOneMinusP = Math.max(Math.log(1.0 - p), LOG_CLAMP);
        return -(y * logP + (1.0 - y) * logOneMinusP);
    }

    @Override
    double elementDerivative(double p, double y) {
        return (p - y) / Math.max(p * (1.0 - p), GRADIENT_EPSILON);
    }
}
