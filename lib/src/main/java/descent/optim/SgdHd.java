package descent.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SGD-HD: plain SGD whose learning rate follows its own gradient (Baydin, Cornish, Martínez Rubio, Schmidt, Wood
 * 2018, "Online Learning Rate Adaptation with Hypergradient Descent", ICLR, Algorithm 1 and the authors' PyTorch
 * {@code SGDHD} without momentum).
 *
 * <pre>
 * g &larr; grad + weight_decay &middot; p          (coupled L2; skipped when weight_decay = 0)
 * h &larr; g &middot; g_prev                       (dot product over all parameters; g_prev = 0 at the first step)
 * lr &larr; max(0, lr + hypergrad_lr &middot; h)
 * g_prev &larr; g
 * p &larr; p &minus; lr &middot; g
 * </pre>
 *
 * In the paper's notation {@code alpha_t = alpha_{t-1} + beta grad f(theta_{t-1}) . grad f(theta_{t-2})}: since
 * {@code d theta_{t-1} / d alpha_{t-1} = -grad f(theta_{t-2})}, {@code -h} is the derivative of the loss with respect
 * to the previous learning rate, and the learning rate grows while successive gradients agree and shrinks while they
 * point against each other (oscillation). One lr serves all parameters; see {@link Hypergradient} for how the arrays
 * of a step share it. {@link #lr()} is the current, adapted lr.
 *
 * <p>Options: {@code lr} = 0.01 (the initial lr, as {@link Sgd}), {@code hypergrad_lr} = 1e-3 (beta, the authors'
 * name; the paper's experiments use 1e-3 for SGD-HD), {@code weight_decay} = 0. {@code hypergrad_lr} = 0 is plain
 * SGD.
 *
 * <p>State per array: the previous gradient {@code g_prev}.
 */
public final class SgdHd extends Hypergradient<SgdHd.State> {

    /** Valid options with their defaults. */
    public static final Map<String, Double> DEFAULTS =
            Options.ordered("lr", 0.01, "hypergrad_lr", 1e-3, "weight_decay", 0.0);

    /** Per-array state. */
    public static final class State {
        /** The previous step's gradient g_prev (zero before the first step). */
        public INDArray gradPrev;
    }

    private final double weightDecay;

    public SgdHd() {
        this(Map.of());
    }

    public SgdHd(Map<String, Double> options) {
        super("sgd_hd", DEFAULTS, options);
        this.weightDecay = option("weight_decay");
    }

    @Override
    protected State newState(INDArray params) {
        State s = new State();
        s.gradPrev = Nd4j.zerosLike(params);
        return s;
    }

    @Override
    protected double hypergradient(INDArray params, INDArray grad, State s) {
        return s == null ? 0 : dot(params, 1, withWeightDecay(params, grad, weightDecay), s.gradPrev);
    }

    @Override
    protected void update(INDArray params, INDArray grad, State s) {
        adapt(params, grad, s);
        INDArray g = withWeightDecay(params, grad, weightDecay);
        s.gradPrev.assign(g);
        params.subi(scratch(params, 1).assign(g).muli(lr()));
    }
}
