package descent.loss;

/**
 * Mean absolute error, PyTorch {@code F.l1_loss(p, y)} (reduction {@code 'mean'}).
 *
 * <pre>
 *   L      = (1/n) * sum_i |p_i - y_i|            (n = number of elements)
 *   dL/dp_i = (1/n) * sign(p_i - y_i)             (sign(0) = 0, as in PyTorch)
 * </pre>
 *
 * Name: {@code "mae"}; no options.
 */
public final class MaeLoss extends ElementwiseLoss {

    @Override
    public String name() {
        return "mae";
    }

    @Override
    double elementValue(double p, double y) {
        return Math.abs(p - y);
    }

    @Override
    double elementDerivative(double p, double y) {
        return Math.signum(p - y);
    }
}
