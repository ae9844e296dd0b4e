package descent.loss;

/**
 * Binary hinge loss (the SVM loss) on raw scores f with targets y in {-1, +1}.
 *
 * <pre>
 *   L       = (1/n) * sum_i max(0, 1 - y_i * f_i)      (n = number of elements)
 *   dL/df_i = -(1/n) * y_i   if 1 - y_i * f_i &gt; 0
 *             0              otherwise (also exactly at the kink y_i * f_i = 1)
 * </pre>
 *
 * The value equals PyTorch {@code torch.relu(1 - y * f).mean()}, and the gradient its autograd gradient,
 * including the choice 0 at the kink (ND4J's {@code LossHinge} makes the same choice).
 *
 * <p>Name: {@code "hinge"}; no options.
 */
public final class HingeLoss extends ElementwiseLoss {

    @Override
    public String name() {
        return "hinge";
    }

    @Override
    void checkValues(long[] shape, double[] f, double[] y) {
        for (int i = 0; i < y.length; i++) {
            if (y[i] != 1.0 && y[i] != -1.0) {
                throw new IllegalArgumentException("hinge: target must be -1 or +1; got " + y[i] + " at "
                        + Inputs.index(shape, i) + " (map 0/1 labels with 2*y - 1)");
            }
        }
    }

    @Override
    double elementValue(double f, double y) {
        return Math.max(0.0, 1.0 - y * f);
    }

    @Override
    double elementDerivative(double f, double y) {
        return 1.0 - y * f > 0.0 ? -y : 0.0;
    }
}
