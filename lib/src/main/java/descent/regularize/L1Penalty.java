package descent.regularize;

import descent.Checks;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * L1 penalty (lasso): pushes weights to exactly zero.
 *
 * <pre>
 *   value(w)    = lambda * sum_i |w_i|
 *   gradient(w) = lambda * sign(w)          sign(0) = 0, the subgradient torch's autograd of |w| uses
 * </pre>
 */
public final class L1Penalty implements Penalty {

    private final double lambda;

    /** @param lambda coefficient, finite and >= 0 */
    public L1Penalty(double lambda) {
        this.lambda = Checks.nonNegative("L1Penalty", "lambda", lambda);
    }

    @Override
    public double lambda() {
        return lambda;
    }

    @Override
    public double value(INDArray w) {
        Checks.notNull("L1Penalty", "w", w);
        return lambda * w.norm1Number().doubleValue();
    }

    @Override
    public INDArray gradient(INDArray w) {
        Checks.notNull("L1Penalty", "w", w);
        return Transforms.sign(w, true).muli(lambda);
    }

    @Override
    public String toString() {
        return "L1Penalty(lambda=" + lambda + ")";
    }
}
