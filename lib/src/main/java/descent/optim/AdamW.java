package descent.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * AdamW, {@code torch.optim.AdamW(amsgrad=False)}: Adam with decoupled weight decay.
 *
 * <pre>
 * t &larr; t + 1
 * p &larr; p &middot; (1 &minus; lr &middot; weight_decay)        (decoupled: the gradient is NOT changed)
 * m &larr; beta1 &middot; m + (1 &minus; beta1) &middot; grad
 * v &larr; beta2 &middot; v + (1 &minus; beta2) &middot; grad&sup2;
 * d &larr; &radic;v / &radic;(1 &minus; beta2^t) + eps
 * p &larr; p &minus; lr / (1 &minus; beta1^t) &middot; m / d
 * </pre>
 *
 * <p>Options (torch defaults): {@code lr} = 1e-3, {@code beta1} = 0.9, {@code beta2} = 0.999,
 * {@code eps} = 1e-8, {@code weight_decay} = 0.01 (note: not 0, unlike every other rule here).
 *
 * <p>State per array: step count {@code t}, {@code m}, {@code v}.
 */
public final class AdamW extends AbstractOptimizer<AdamW.State> {

    /** Valid options with their defaults. */
    public static final Map<String, Double> DEFAULTS = Options.ordered("lr", 1e-3, "beta1", 0.9,
            "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.01);

    /** Per-array state. */
    public static final class State {
        /** Steps taken on this array. */
        public int step;
        /** First moment m. */
        public INDArray expAvg;
        /** Second moment v. */
        public INDArray expAvgSq;
    }

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;

    public AdamW() {
        this(Map.of());
    }

    public AdamW(Map<String, Double> options) {
        super("adamw", DEFAULTS, options);
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
    protected void update(INDArray params, INDArray grad, State s) {
        s.step++;
        INDArray t = scratch(params, 1);
        params.muli(1 - lr() * weightDecay);
        s.expAvg.muli(beta1).addi(t.assign(grad).muli(1 - beta1));
        s.expAvgSq.muli(beta2).addi(t.assign(grad).muli(grad).muli(1 - beta2));
        double biasCorrection1 = 1 - Math.pow(beta1, s.step);
        double biasCorrection2 = 1 - Math.pow(beta2, s.step);
        double stepSize = lr() / biasCorrection1;
        INDArray denom = Transforms.sqrt(t.assign(s.expAvgSq), false).divi(Math.sqrt(biasCorrection2)).addi(eps);
        params.subi(scratch(params, 2).assign(s.expAvg).divi(denom).muli(stepSize));
    }
}
