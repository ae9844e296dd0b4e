package descent.loss;

/**
 * Mean squared error, PyTorch {@code F.mse_loss(p, y)} (reduction {@code 'mean'}).
 *
 * <pre>
 *   L      = (1/n) * sum_i (p_i - y_i)^2          (n = number of elements)
 *   dL/dp_i = (2/n) * (p_i - y_i)
 * </pre>
 *
 * Name: {@code "mse"}; no options.
 */
public final class MseLoss extends ElementwiseLoss {

    @Override
    public String name() {
        return "mse";
    }

    @Override
    double elementValue(double p, double y) {
        double r = p - y;
        return r * r;
    }

    @Override
    double elementDerivative(double p, double y) {
        return 2.0 * (p - y);
    }
}
