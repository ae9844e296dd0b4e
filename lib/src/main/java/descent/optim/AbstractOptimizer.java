package descent.optim;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import descent.Interrupts;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Base class of descent's optimizers: option handling, argument checks and the per-array state
 * map. A rule only says how to create its state ({@link #newState}) and how to apply one step
 * ({@link #update}).
 *
 * <p>To write your own rule in a notebook:
 *
 * <pre>{@code
 * class SignSgd extends AbstractOptimizer<Void> {
 *     SignSgd(double lr) { super("sign_sgd", Map.of("lr", 0.01), Map.of("lr", lr)); }
 *     protected Void newState(INDArray p) { return null; }
 *     protected void update(INDArray p, INDArray g, Void s) {
 *         p.subi(Transforms.sign(g).muli(lr()));   // p <- p - lr * sign(g)
 *     }
 * }
 * }</pre>
 *
 * <p>The notebook's stop button: {@link #step} first checks {@link Interrupts#requested()} and throws
 * {@link Interrupts.StopRequested} before it changes anything, so a training loop written in a notebook stops at
 * its next step with consistent parameters.
 *
 * @param <S> the per-array state
 */
public abstract class AbstractOptimizer<S> implements Optimizer {

    private final String name;
    private final Map<String, Double> options;
    private final Map<INDArray, S> states = new IdentityHashMap<>();

    /**
     * @param name registry name, used in error messages
     * @param defaults every valid option key with its default value (must contain {@code lr})
     * @param given user options overriding the defaults; unknown keys are rejected
     */
    protected AbstractOptimizer(String name, Map<String, Double> defaults,
            Map<String, Double> given) {
        this.name = name;
        this.options = Options.merge(name, defaults, given);
        if (!options.containsKey("lr")) {
            throw new IllegalStateException(name + ": defaults must contain 'lr'");
        }
    }

    /** Creates the (zero) state of a parameter array seen for the first time. */
    protected abstract S newState(INDArray params);

    /**
     * Applies one step to {@code params} in place. {@code grad} has been checked (same shape and
     * type as {@code params}, finite) and must not be modified.
     */
    protected abstract void update(INDArray params, INDArray grad, S state);

    /** The value of an option (its default unless overridden). */
    protected final double option(String key) {
        Double v = options.get(key);
        if (v == null) {
            throw new IllegalArgumentException(name + ": no option '" + key + "'; options are "
                    + options.keySet());
        }
        return v;
    }

    @Override
    public final void step(INDArray params, INDArray grad) {
        Interrupts.throwIfRequested(name + " step, before it changed anything");
        Options.checkStep(name, params, grad);
        S state = states.get(params);
        if (state == null) {
            state = newState(params);
            states.put(params, state);
        }
        update(params, grad, state);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final double lr() {
        return options.get("lr");
    }

    @Override
    public Optimizer setLr(double lr) {
        Options.check(name, "lr", lr);
        options.put("lr", lr);
        return this;
    }

    @Override
    public final Map<String, Double> options() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    @Override
    public final void reset() {
        states.clear();
    }

    /** The state of {@code params}, or null before its first step (for tests and plots). */
    public final S state(INDArray params) {
        return states.get(params);
    }

    @Override
    public String toString() {
        return name + options;
    }
}
