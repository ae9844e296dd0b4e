package descent.regularize;

import descent.Checks;

import java.util.LinkedHashMap;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A weight penalty added to the loss, with its gradient:
 *
 * <pre>
 *   total(w)      = loss(w) + value(w)          value(w) = lambda * Omega(w), lambda included
 *   d total / dw  = d loss / dw + gradient(w)   gradient(w) = lambda * dOmega/dw
 * </pre>
 *
 * Over several tensors (a {@code Map} from names to weights) the values add up and each tensor gets its
 * own gradient. Which tensors to penalize (commonly weights but not biases) is the caller's choice:
 * pass only those.
 *
 * <pre>{@code
 * Penalty l2 = new L2Penalty(5e-4);
 * double total = l2.total(loss, weights);   // loss + 5e-4/2 * sum of squares
 * l2.addGradientTo(grads, weights);         // grads[k] += 5e-4 * weights[k]
 * }</pre>
 */
public interface Penalty {

    /** The coefficient lambda (>= 0). */
    double lambda();

    /** {@code lambda * Omega(w)}. */
    double value(INDArray w);

    /** {@code lambda * dOmega/dw}, a new array of w's shape. */
    INDArray gradient(INDArray w);

    /** Sum of {@link #value(INDArray)} over all tensors. */
    default double value(Map<String, INDArray> weights) {
        if (weights == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": weights must not be null");
        }
        double sum = 0;
        for (INDArray w : weights.values()) {
            sum += value(w);
        }
        return sum;
    }

    /** {@link #gradient(INDArray)} of each tensor, under the same names, in the same order. */
    default Map<String, INDArray> gradient(Map<String, INDArray> weights) {
        if (weights == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": weights must not be null");
        }
        Map<String, INDArray> grads = new LinkedHashMap<>();
        weights.forEach((name, w) -> grads.put(name, gradient(w)));
        return grads;
    }

    /** {@code loss + value(weights)}: the penalized objective. */
    default double total(double loss, Map<String, INDArray> weights) {
        return loss + value(weights);
    }

    /** {@code grad += gradient(w)} in place; returns grad. Shapes must match. */
    default INDArray addGradientTo(INDArray grad, INDArray w) {
        String owner = getClass().getSimpleName();
        Checks.notNull(owner, "grad", grad);
        Checks.notNull(owner, "w", w);
        Checks.sameShape(owner, "grad", grad, "weight", w);
        return grad.addi(gradient(w));
    }

    /** {@code grads[k] += gradient(weights[k])} for every k; the two maps must hold the same keys. */
    default void addGradientTo(Map<String, INDArray> grads, Map<String, INDArray> weights) {
        Checks.sameKeys(getClass().getSimpleName(), "grads", grads, "weights", weights);
        weights.forEach((name, w) -> addGradientTo(grads.get(name), w));
    }
}
