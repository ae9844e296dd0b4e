package descent.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

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
 * The last two lines are exactly {@link Adam}'s step. In the paper's notation {@code alpha_t = alpha_{t-1} - beta
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
 * <p>State per array: step count {@code t}, first moment {@code m}, second moment {@code v}.
 */
public final class AdamHd extends Hypergradient<AdamHd.State> {

    /** Valid options with their defaults. */
    public static final Map<String, Double> DEFAULTS = Options.ordered("lr", 1e-3, "hypergrad_lr", 1e-7,
            "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0);

    /** Per-array state. */
    public static final class State {
        /** Steps taken on this array. */
        public int step;
        /** First moment m (running average of gradients). */
        public INDArray expAvg;
        /** Second moment v (running average of squared gradients). */
        public INDArray expAvgSq;
    }

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;

    public AdamHd() {
        this(Map.of());
    }

    public AdamHd(Map<String, Double> options) {
        super("adam_hd", DEFAULTS, options);
        this.beta1 = option("beta1");
        this.beta2 = option("beta2");
        this.eps = option("eps");
        this.weightDecay = option("weight_decay");
    }

    @Override
    protected State newState(INDArray params) {
        State s = new State();
        s.expAvg = Nd4j.zerosLike(params);
        s.expAvgSq = Nd4j.zerosLike(params);
        return s;
    }

    @Override
    protected double hypergradient(INDArray params, INDArray grad, State s) {
        if (s == null || s.step == 0) {
            return 0;
        }
        INDArray mOverD = momentOverDenominator(scratch(params, 1), s);
        return dot(params, 2, withWeightDecay(params, grad, weightDecay), mOverD) / (1 - Math.pow(beta1, s.step));
    }

    @Override
    protected void update(INDArray params, INDArray grad, State s) {
        adapt(params, grad, s);
        s.step++;
        INDArray g = withWeightDecay(params, grad, weightDecay);
        INDArray t = scratch(params, 1);
        s.expAvg.muli(beta1).addi(t.assign(g).muli(1 - beta1));
        s.expAvgSq.muli(beta2).addi(t.assign(g).muli(g).muli(1 - beta2));
        double stepSize = lr() / (1 - Math.pow(beta1, s.step));
        params.subi(momentOverDenominator(t, s).muli(stepSize));
    }

    /** m / (&radic;v / &radic;(1 &minus; beta2^t) + eps) of the state as it is, written into {@code out}. */
    private INDArray momentOverDenominator(INDArray out, State s) {
        double biasCorrection2 = 1 - Math.pow(beta2, s.step);
        INDArray denom = Transforms.sqrt(out.assign(s.expAvgSq), false).divi(Math.sqrt(biasCorrection2)).addi(eps);
        return denom.rdivi(s.expAvg);
    }
}
