package descent.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam, {@code torch.optim.Adam(amsgrad=False)}.
 *
 * <pre>
 * t &larr; t + 1
 * g &larr; grad + weight_decay &middot; p          (coupled L2; see {@link AdamW} for decoupled decay)
 * m &larr; beta1 &middot; m + (1 &minus; beta1) &middot; g
 * v &larr; beta2 &middot; v + (1 &minus; beta2) &middot; g&sup2;
 * d &larr; &radic;v / &radic;(1 &minus; beta2^t) + eps            (eps added AFTER bias-correcting v)
 * p &larr; p &minus; lr / (1 &minus; beta1^t) &middot; m / d
 * </pre>
 *
 * <p>Options (torch defaults; torch's {@code betas} tuple is split in two): {@code lr} = 1e-3,
 * {@code beta1} = 0.9, {@code beta2} = 0.999, {@code eps} = 1e-8, {@code weight_decay} = 0.
 *
 * <p>State per array: step count {@code t}, first moment {@code m}, second moment {@code v}.
 */
public final class Adam extends AbstractOptimizer<Adam.State> {

    /** Valid options with their defaults. */
    public static final Map<String, Double> DEFAULTS = Options.ordered("lr", 1e-3, "beta1", 0.9,
            "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0);

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

    public Adam() {
        this(Map.of());
    }

    public Adam(Map<String, Double> options) {
        super("adam", DEFAULTS, options);
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
        INDArray g = withWeightDecay(params, grad, weightDecay);
        INDArray t = scratch(params, 1);
        s.expAvg.muli(beta1).addi(t.assign(g).muli(1 - beta1));
        s.expAvgSq.muli(beta2).addi(t.assign(g).muli(g).muli(1 - beta2));
        double biasCorrection1 = 1 - Math.pow(beta1, s.step);
        double biasCorrection2 = 1 - Math.pow(beta2, s.step);
        double stepSize = lr() / biasCorrection1;
        INDArray denom = Transforms.sqrt(t.assign(s.expAvgSq), false).divi(Math.sqrt(biasCorrection2)).addi(eps);
        params.subi(scratch(params, 2).assign(s.expAvg).divi(denom).muli(stepSize));
    }

    /**
     * {@code g . u} for {@link AdamHd}'s hypergradient: {@code g} the gradient {@link #update} would use now (weight
     * decay included), {@code u = m / (1 - beta1^t) / d} the direction of the last step on {@code s}
     * ({@code s.step > 0}). Changes no state.
     */
    double dotLastDirection(INDArray params, INDArray grad, State s) {
        INDArray g = withWeightDecay(params, grad, weightDecay);
        double biasCorrection1 = 1 - Math.pow(beta1, s.step);
        double biasCorrection2 = 1 - Math.pow(beta2, s.step);
        INDArray denom = Transforms.sqrt(scratch(params, 1).assign(s.expAvgSq), false)
                .divi(Math.sqrt(biasCorrection2)).addi(eps);
        INDArray u = denom.rdivi(s.expAvg);
        return scratch(params, 2).assign(g).muli(u).sumNumber().doubleValue() / biasCorrection1;
    }
}
