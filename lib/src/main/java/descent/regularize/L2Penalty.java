package descent.regularize;

import descent.Checks;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * L2 penalty (ridge, "weight decay" coupled to the loss), in the convention whose gradient equals
 * PyTorch's {@code SGD(weight_decay=lambda)}:
 *
 * <pre>
 *   value(w)    = lambda / 2 * ||w||^2 = lambda / 2 * sum_i w_i^2
 *   gradient(w) = lambda * w
 *   SGD step:     w &lt;- w - lr * (dloss/dw + lambda * w)        = torch.optim.SGD(lr, weight_decay=lambda)
 * </pre>
 *
 * Note the 1/2: with {@code value = lambda * ||w||^2} the gradient would be {@code 2 * lambda * w}.
 * For plain SGD this coupled penalty gives the same step as {@link DecoupledWeightDecay}; for adaptive
 * optimizers (Adam) it does not, which is why AdamW decouples the decay.
 */
public final class L2Penalty implements Penalty {

    private final double lambda;

    /** @param lambda coefficient, finite and >= 0 (torch's weight_decay) */
    public L2Penalty(double lambda) {
        this.lambda = Checks.nonNegative("L2Penalty", "lambda", lambda);
    }

    @Override
    public double lambda() {
        return lambda;
    }

    @Override
    public double value(INDArray w) {
        Checks.notNull("L2Penalty", "w", w);
        return lambda / 2 * w.mul(w).sumNumber().doubleValue();
    }

    @Override
    public INDArray gradient(INDArray w) {
        Checks.notNull("L2Penalty", "w", w);
        return w.mul(lambda);
    }

    /** {@code grad += lambda * w} in place (no temporary array: the trainer calls this every step). */
    @Override
    public INDArray addGradientTo(INDArray grad, INDArray w) {
        Checks.notNull("L2Penalty", "grad", grad);
        Checks.notNull("L2Penalty", "w", w);
        Checks.sameShape("L2Penalty", "grad", grad, "weight", w);
        if (lambda != 0) {
            org.nd4j.linalg.factory.Nd4j.getBlasWrapper().level1().axpy(w.length(), lambda, w, grad);
        }
        return grad;
    }

    @Override
    public String toString() {
        return "L2Penalty(lambda=" + lambda + ")";
    }
}
