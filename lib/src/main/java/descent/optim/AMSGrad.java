package descent.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * AMSGrad, {@code torch.optim.Adam(amsgrad=True)}: Adam whose denominator never shrinks.
 *
 * <pre>
 * t &larr; t + 1
 * g &larr; grad + weight_decay &middot; p          (coupled L2; skipped when weight_decay = 0)
 * m &larr; beta1 &middot; m + (1 &minus; beta1) &middot; g
 * v &larr; beta2 &middot; v + (1 &minus; beta2) &middot; g&sup2;
 * vmax &larr; max(vmax, v)                         (elementwise; of the uncorrected v)
 * d &larr; &radic;vmax / &radic;(1 &minus; beta2^t) + eps
 * p &larr; p &minus; lr / (1 &minus; beta1^t) &middot; m / d
 * </pre>
 *
 * <p>Options (torch defaults): {@code lr} = 1e-3, {@code beta1} = 0.9, {@code beta2} = 0.999,
 * {@code eps} = 1e-8, {@code weight_decay} = 0.
 *
 * <p>State per array: step count {@code t}, {@code m}, {@code v}, {@code vmax}.
 */
public final class AMSGrad extends AbstractOptimizer<AMSGrad.State> {

    /** Valid options with their defaults. */
    public static final Map<String, Double> DEFAULTS = Options.ordered("lr", 1e-3, "beta1", 0.9,
            "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0);

    /** Per-array state. */
    public static final class State {
        /** Steps taken on this array. */
        public int step;
        /** First moment m. */
        public INDArray expAvg;
        /** Second moment v. */
        public INDArray expAvgSq;
        /** Elementwise maximum of all v so far. */
        public INDArray maxExpAvgSq;
    }

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;

    public AMSGrad() {
        this(Map.of());
    }

    public AMSGrad(Map<String, Double> options) {
        super("amsgrad", DEFAULTS, options);
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
        s.maxExpAvgSq = Nd4j.zerosLike(params);
        return s;
    }

    @Override
    protected void update(INDArray params, INDArray grad, State s) {
        s.step++;
        INDArray g = withWeightDecay(params, grad, weightDecay);
        INDArray t = scratch(params, 1);
        s.expAvg.muli(beta1).addi(t.assign(g).muli(1 - beta1));
        s.expAvgSq.muli(beta2).addi(t.assign(g).muli(g).muli(1 - beta2));
        Transforms.max(s.maxExpAvgSq, s.expAvgSq, false);          // in place: max(maxExpAvgSq, expAvgSq)
        double biasCorrection1 = 1 - Math.pow(beta1, s.step);
        double biasCorrection2 = 1 - Math.pow(beta2, s.step);
        double stepSize = lr() / biasCorrection1;
        INDArray denom =
                Transforms.sqrt(t.assign(s.maxExpAvgSq), false).divi(Math.sqrt(biasCorrection2)).addi(eps);
        params.subi(scratch(params, 2).assign(s.expAvg).divi(denom).muli(stepSize));
    }
}
