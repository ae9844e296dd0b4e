package descent.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam-HD: {@link Adam} whose learning rate follows its own gradient (Baydin, Cornish, Martínez Rubio, Schmidt, Wood
 * 2018, "Online Learning Rate Adaptation with Hypergradient Descent", ICLR, Algorithm 4 and the authors' PyTorch
 * {@code AdamHD}).
 *
 * <pre>
 * g &larr; grad + weight_decay &middot; p          (coupled L2, as {@link Adam})
 * h &larr; g &middot; u                            (dot product over all parameters with the previous direction u;
 *                                     0 at the first step)
 * lr &larr; max(0, lr + hypergrad_lr &middot; h)
 * t &larr; t + 1
 * m &larr; beta1 &middot; m + (1 &minus; beta1) &middot; g
 * v &larr; beta2 &middot; v + (1 &minus; beta2) &middot; g&sup2;
 * u &larr; (m / (1 &minus; beta1^t)) / (&radic;v / &radic;(1 &minus; beta2^t) + eps)      the Adam direction m&#770; / (&radic;v&#770; + eps)
 * p &larr; p &minus; lr &middot; u
 * </pre>
 *
 * Without the lines for h and lr it is exactly {@link Adam}'s step, and the code says so: an Adam with the same
 * options takes it, on this rule's state. In the paper's notation {@code alpha_t = alpha_{t-1} - beta
 * grad f(theta_{t-1}) . (-u_{t-2})}: {@code -u} is {@code d theta / d alpha}, so the learning rate grows while the
 * gradient still points along the previous step and shrinks when it points back. The previous direction is not
 * stored: it is recomputed from {@code m}, {@code v} and {@code t} before they are updated. eps is added after the
 * bias correction of v, as in descent's (and torch's) Adam; the authors' code adds it before. One lr serves all
 * parameters; see {@link Hypergradient} for how the arrays of a step share it. {@link #lr()} is the current, adapted
 * lr.
 *
 * <p>Options: as {@link Adam} ({@code lr} = 1e-3 is the initial lr, {@code beta1} = 0.9, {@code beta2} = 0.999,
 * {@code eps} = 1e-8, {@code weight_decay} = 0) and {@code hypergrad_lr} = 1e-7 (beta, the authors' name; the
 * paper's experiments use 1e-7 for Adam-HD; Adam's directions are of order 1 whatever the gradient's scale, so h is a
 * sum of about as many terms as there are parameters). {@code hypergrad_lr} = 0 is Adam.
 *
 * <p>State per array: {@link Adam}'s, step count {@code t}, first moment {@code m}, second moment {@code v}.
 */
public final class AdamHd extends Hypergradient<Adam.State> {

    /** Valid options with their defaults. */
    public static final Map<String, Double> DEFAULTS = Options.ordered("lr", 1e-3, "hypergrad_lr", 1e-7,
            "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0);

    // Adam with these options but hypergrad_lr; it takes each step, on the state this rule keeps
    private final Adam adam;

    public AdamHd() {
        this(Map.of());
    }

    public AdamHd(Map<String, Double> options) {
        super("adam_hd", DEFAULTS, options);
        Map<String, Double> adamOptions = new LinkedHashMap<>(options());
        adamOptions.remove("hypergrad_lr");
        this.adam = new Adam(adamOptions);
    }

    @Override
    protected Adam.State newState(INDArray params) {
        return adam.newState(params);
    }

    @Override
    protected double hypergradient(INDArray params, INDArray grad, Adam.State s) {
        return s == null || s.step == 0 ? 0 : adam.dotLastDirection(params, grad, s);
    }

    @Override
    protected void update(INDArray params, INDArray grad, Adam.State s) {
        adapt(params, grad, s);
        adam.setLr(lr());
        adam.update(params, grad, s);
    }
}
