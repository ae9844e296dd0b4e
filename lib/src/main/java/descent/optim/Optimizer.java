package descent.optim;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A first-order optimization rule: given a parameter array and its gradient, move the parameters
 * in place.
 *
 * <p>State (momentum buffers, running averages, step counters) is kept <em>per parameter
 * array</em>, keyed by the identity of the {@code params} object, exactly as {@code torch.optim}
 * keeps {@code optimizer.state[p]}. One instance can therefore drive several arrays (the weights
 * and biases of a network); pass the same {@code INDArray} object at every step, since a fresh
 * view or copy starts with fresh state.
 *
 * <pre>{@code
 * Optimizer opt = Optimizers.create("adam", Map.of("lr", 1e-2));
 * for (int t = 0; t < 100; t++) {
 *     INDArray g = gradientOf(w);   // your gradient, same shape as w
 *     opt.step(w, g);               // w changes in place; g is not modified
 * }
 * }</pre>
 *
 * <p>The learning rate is the one hyperparameter that may change during training ({@link
 * #setLr(double)}), so that a {@link descent.optim.schedule.LrSchedule} can drive it.
 */
public interface Optimizer {

    /**
     * Updates {@code params} in place using {@code grad}; {@code grad} itself is left unchanged.
     *
     * @throws IllegalArgumentException if the shapes differ, the arrays are not of the same
     *     floating-point type, or {@code grad} contains NaN or infinite values
     */
    void step(INDArray params, INDArray grad);

    /** One step for several arrays: {@code step(params.get(i), grads.get(i))} for every i. */
    default void step(List<INDArray> params, List<INDArray> grads) {
        if (params.size() != grads.size()) {
            throw new IllegalArgumentException("step: " + params.size() + " parameter arrays but "
                    + grads.size() + " gradient arrays");
        }
        for (int i = 0; i < params.size(); i++) {
            step(params.get(i), grads.get(i));
        }
    }

    /** The registry name, e.g. {@code "adam"} (see {@link Optimizers#names()}). */
    String name();

    /** The current learning rate. */
    double lr();

    /**
     * Sets the learning rate used by the following steps (state is kept).
     *
     * @throws IllegalArgumentException if {@code lr} is NaN, infinite or negative
     * @return this optimizer
     */
    Optimizer setLr(double lr);

    /** The hyperparameters in effect, by PyTorch argument name; {@code lr} is the current one. */
    Map<String, Double> options();

    /** Forgets all per-array state, as if no step had been taken. */
    void reset();

    /**
     * The per-array state of {@code params}, in that order, as torch's {@code optimizer.state_dict()["state"]}: for
     * each array a map from the state's name (e.g. {@code step}, {@code exp_avg}, {@code exp_avg_sq}) to a copy
     * (counters as one-element arrays). An array not stepped yet has an empty map. Together with {@link #options()}
     * this is everything a checkpoint needs to continue exactly.
     */
    List<Map<String, INDArray>> stateDict(List<INDArray> params);

    /**
     * Replaces the state of {@code params} by {@code state} (as {@link #stateDict} returned it), as torch's
     * {@code load_state_dict}; an empty map forgets that array's state.
     *
     * @throws IllegalArgumentException naming the array and entry when a name, shape or count does not fit (then
     *     nothing is changed)
     */
    void loadStateDict(List<INDArray> params, List<Map<String, INDArray>> state);
}
