package descent.optim;

import descent.Interrupts;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The learning-rate adaptation shared by {@link SgdHd} and {@link AdamHd} (Baydin et al. 2018, "Online Learning Rate
 * Adaptation with Hypergradient Descent", ICLR): before each step the learning rate takes one gradient step of its
 * own,
 *
 * <pre>
 * h &larr; g_t &middot; u_{t&minus;1}              (all parameters; 0 at the first step)
 * lr &larr; max(0, lr + hypergrad_lr &middot; h)
 * </pre>
 *
 * where {@code u_{t-1}} is the direction of the previous step ({@code p <- p - lr u}). Since {@code -u_{t-1}} is
 * {@code d p_{t-1} / d lr_{t-1}}, {@code -h} is the derivative of the loss with respect to the previous learning
 * rate: lr grows while successive steps agree and shrinks while they oscillate. The paper does not clip; the
 * {@code max(0, .)} keeps lr a valid learning rate (a negative one would climb the loss).
 *
 * <p>One lr for all parameters: unlike the other rules, which keep all state per array, the dot product runs over
 * every array of the step. {@link #step(List, List)} adapts lr once from all its arrays; {@link #step(INDArray,
 * INDArray)} from that one array, which is all of the parameters when it is a model's flat {@code params()} (as the
 * {@link descent.train.Trainer} steps). The current lr is {@link #lr()}; {@link #options()} and {@link #stateDict}
 * together hold everything to continue exactly. {@link #reset()} forgets the per-array state, not lr. A learning-rate
 * schedule overrides the adapted lr at every step and should not be combined with these rules.
 *
 * @param <S> the per-array state
 */
public abstract class Hypergradient<S> extends AbstractOptimizer<S> {

    private final double hypergradLr;
    // true while step(List, List) steps its arrays one by one, after adapting lr from all of them
    private boolean adapted;

    /** As {@link AbstractOptimizer}'s; {@code defaults} must also contain {@code hypergrad_lr}. */
    protected Hypergradient(String name, Map<String, Double> defaults, Map<String, Double> given) {
        super(name, defaults, given);
        this.hypergradLr = option("hypergrad_lr");
    }

    /**
     * {@code g_t . u_{t-1}} for one array, {@code g_t} being the gradient the rule will use (weight decay included),
     * {@code u_{t-1}} the direction of this array's previous step; 0 when {@code state} is null or has no step yet.
     * Changes no state.
     */
    protected abstract double hypergradient(INDArray params, INDArray grad, S state);

    /** Called first by {@code update}: adapts lr from this array, unless {@link #step(List, List)} already did. */
    protected final void adapt(INDArray params, INDArray grad, S state) {
        if (!adapted) {
            adaptBy(hypergradient(params, grad, state));
        }
    }

    private void adaptBy(double h) {
        setLr(Math.max(0, lr() + hypergradLr * h));
    }

    /** One step of all arrays together: lr adapts once, from the dot product over all of them, then each moves. */
    @Override
    public final void step(List<INDArray> params, List<INDArray> grads) {
        if (params.size() != grads.size()) {
            throw new IllegalArgumentException(name() + ".step: " + params.size() + " parameter arrays but "
                    + grads.size() + " gradient arrays");
        }
        Interrupts.throwIfRequested(name() + " step, before it changed anything");
        double h = 0;
        for (int i = 0; i < params.size(); i++) {
            Options.checkStep(name(), params.get(i), grads.get(i));
            h += hypergradient(params.get(i), grads.get(i), state(params.get(i)));
        }
        adaptBy(h);
        adapted = true;
        try {
            for (int i = 0; i < params.size(); i++) {
                step(params.get(i), grads.get(i));
            }
        } finally {
            adapted = false;
        }
    }

    /** {@code a . b} over all entries, computed in scratch slot {@code slot} of {@code params}. */
    protected final double dot(INDArray params, int slot, INDArray a, INDArray b) {
        return scratch(params, slot).assign(a).muli(b).sumNumber().doubleValue();
    }
}
