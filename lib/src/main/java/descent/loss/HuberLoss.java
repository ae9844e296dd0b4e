package descent.loss;

import java.util.Map;

/**
 * Huber loss, PyTorch {@code F.huber_loss(p, y, delta=delta)} (reduction {@code 'mean'}): quadratic for small
 * residuals, linear for large ones.
 *
 * <pre>
 *   r_i = p_i - y_i
 *   l_i = 0.5 * r_i^2                       if |r_i| &lt;  delta
 *         delta * (|r_i| - 0.5 * delta)     otherwise
 *   L   = (1/n) * sum_i l_i                 (n = number of elements)
 *
 *   dL/dp_i = (1/n) * r_i                   if |r_i| &lt;  delta
 *             (1/n) * delta * sign(r_i)     otherwise
 * </pre>
 *
 * Name: {@code "huber"}; option {@code delta} &gt; 0, default 1.0.
 */
public final class HuberLoss extends ElementwiseLoss {

    /** Default {@code delta}, as in PyTorch. */
    public static final double DEFAULT_DELTA = 1.0;

    private final double delta;

    /** Huber loss with {@code delta} = 1.0. */
    public HuberLoss() {
        this(DEFAULT_DELTA);
    }

    /** Huber loss with the given threshold between the quadratic and the linear part; must be &gt; 0. */
    public HuberLoss(double delta) {
        this.delta = Inputs.requireOption("huber", "delta", delta, true);
    }

    /** The threshold between the quadratic and the linear part. */
    public double delta() {
        return delta;
    }

    @Override
    public String name() {
        return "huber";
    }

    @Override
    public Map<String, Double> options() {
        return Map.of("delta", delta);
    }

    @Override
    double elementValue(double p, double y) {
        double r = p - y;
        double abs = Math.abs(r);
        return abs < delta ? 0.5 * r * r : delta * (abs - 0.5 * delta);
    }

    @Override
    double elementDerivative(double p, double y) {
        double r = p - y;
        return Math.abs(r) < delta ? r : delta * Math.signum(r);
    }
}
