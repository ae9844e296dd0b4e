package descent.loss;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss function: one number that says how far a prediction is from its target, and the gradient of that
 * number with respect to the prediction.
 *
 * <p>Every loss here uses <em>mean</em> reduction, as PyTorch's default {@code reduction='mean'}: the mean over
 * all elements for the element-wise losses ({@code mse}, {@code mae}, {@code huber}, {@code bce}, {@code hinge}),
 * the mean over the N rows for the row-wise ones ({@code cross_entropy}, {@code focal}). The gradient is the
 * gradient of exactly that mean, so it already carries the factor 1/N (or 1/number-of-elements).
 *
 * <p>Computation is in double precision. The gradient has the prediction's shape and, when the prediction has a
 * floating-point type, its data type; otherwise it is {@code DOUBLE}.
 *
 * <p>Bad input (shape mismatch, NaN or infinite values, values outside a loss's domain) throws
 * {@link IllegalArgumentException} naming the problem.
 *
 * <pre>{@code
 * Loss loss = Losses.create("huber", Map.of("delta", 0.5));
 * double l = loss.value(prediction, target);
 * INDArray dL = loss.gradient(prediction, target);   // same shape as prediction
 * }</pre>
 */
public interface Loss {

    /** The loss's name as accepted by {@link Losses#create(String, Map)}, e.g. {@code "huber"}. */
    String name();

    /** The options this loss was built with (empty when it has none), e.g. {@code {delta=0.5}}. */
    default Map<String, Double> options() {
        return Map.of();
    }

    /** The loss, mean-reduced, for a prediction and its target. */
    double value(INDArray prediction, INDArray target);

    /** d value / d prediction, same shape as {@code prediction}. */
    INDArray gradient(INDArray prediction, INDArray target);
}
