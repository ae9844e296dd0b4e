package descent.regularize;

import descent.Checks;

import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Decoupled weight decay, as in AdamW (Loshchilov &amp; Hutter): shrink the weights directly, outside the
 * gradient, so an adaptive optimizer's per-coordinate scaling does not touch the decay.
 *
 * <pre>
 *   w &lt;- w - lr * lambda * w  =  w * (1 - lr * lambda)           (then the optimizer's own step)
 * </pre>
 *
 * This is exactly torch's {@code AdamW}: {@code param.mul_(1 - lr * weight_decay)} before the Adam update.
 * With plain SGD it coincides with {@link L2Penalty} of the same lambda; with Adam it does not.
 *
 * <pre>{@code
 * DecoupledWeightDecay decay = new DecoupledWeightDecay(1e-2);
 * decay.apply(weights, lr);     // in place, before optimizer.step(...)
 * }</pre>
 */
public final class DecoupledWeightDecay {

    private final double lambda;

    /** @param lambda decay coefficient, finite and >= 0 (torch's AdamW weight_decay) */
    public DecoupledWeightDecay(double lambda) {
        this.lambda = Checks.nonNegative("DecoupledWeightDecay", "lambda", lambda);
    }

    public double lambda() {
        return lambda;
    }

    /** {@code w *= (1 - lr * lambda)} in place; returns w. */
    public INDArray apply(INDArray w, double lr) {
        Checks.nonNegative("DecoupledWeightDecay", "lr", lr);
        Checks.notNull("DecoupledWeightDecay", "w", w);
        return w.muli(1 - lr * lambda);
    }

    /** Applies {@link #apply(INDArray, double)} to every tensor, in place. */
    public void apply(Map<String, INDArray> weights, double lr) {
        Checks.nonNegative("DecoupledWeightDecay", "lr", lr);
        if (weights == null) {
            throw new IllegalArgumentException("DecoupledWeightDecay: weights must not be null");
        }
        weights.values().forEach(w -> apply(w, lr));
    }

    @Override
    public String toString() {
        return "DecoupledWeightDecay(lambda=" + lambda + ")";
    }
}
