package descent.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * NAdam (Dozat 2016, with the momentum schedule), {@code torch.optim.NAdam}.
 *
 * <pre>
 * t &larr; t + 1
 * g &larr; grad + weight_decay &middot; p          (coupled L2; skipped when weight_decay = 0)
 * &mu;_t     = beta1 &middot; (1 &minus; &frac12; &middot; 0.96^(t &middot; momentum_decay))
 * &mu;_{t+1} = beta1 &middot; (1 &minus; &frac12; &middot; 0.96^((t+1) &middot; momentum_decay))
 * &Pi; &larr; &Pi; &middot; &mu;_t                               (&Pi; = &mu;_1&middot;&hellip;&middot;&mu;_t, starts at 1)
 * m &larr; beta1 &middot; m + (1 &minus; beta1) &middot; g
 * v &larr; beta2 &middot; v + (1 &minus; beta2) &middot; g&sup2;
 * d &larr; &radic;v / &radic;(1 &minus; beta2^t) + eps
 * p &larr; p &minus; lr &middot; (1 &minus; &mu;_t) / (1 &minus; &Pi;) &middot; g / d
 * p &larr; p &minus; lr &middot; &mu;_{t+1} / (1 &minus; &Pi; &middot; &mu;_{t+1}) &middot; m / d
 * </pre>
 *
 * <p>Options (torch defaults): {@code lr} = 2e-3, {@code beta1} = 0.9, {@code beta2} = 0.999,
 * {@code eps} = 1e-8, {@code weight_decay} = 0, {@code momentum_decay} = 4e-3.
 *
 * <p>This is the algorithm of torch's NAdam docstring, of its {@code foreach=True}
 * implementation in torch 1.13 and of every implementation from torch 2.0 on. Torch 1.13's
 * default single-tensor code path ({@code foreach=None/False}) differs: it uses
 * {@code 1 − Π·μ_t·μ_{t+1}} in the last line (an extra factor μ_t, fixed in torch 2.0). The
 * reference vectors are generated with {@code foreach=True}.
 *
 * <p>State per array: step count {@code t}, {@code Π}, {@code m}, {@code v}.
 */
public final class NAdam extends AbstractOptimizer<NAdam.State> {

    /** Valid options with their defaults. */
    public static final Map<String, Double> DEFAULTS = Options.ordered("lr", 2e-3, "beta1", 0.9,
            "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0, "momentum_decay", 4e-3);

    /** Per-array state. */
    public static final class State {
        /** Steps taken on this array. */
        public int step;
        /** Product of the momentum coefficients &mu;_1 &hellip; &mu;_t. */
        public double muProduct = 1.0;
        /** First moment m. */
        public INDArray expAvg;
        /** Second moment v. */
        public INDArray expAvgSq;
    }

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final double momentumDecay;

    public NAdam() {
        this(Map.of());
    }

    public NAdam(Map<String, Double> options) {
        super("nadam", DEFAULTS, options);
        this.beta1 = option("beta1");
        this.beta2 = option("beta2");
        this.eps = option("eps");
        this.weightDecay = option("weight_decay");
        this.momentumDecay = option("momentum_decay");
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
        double biasCorrection2 = 1 - Math.pow(beta2, s.step);
        double mu = beta1 * (1. - 0.5 * Math.pow(0.96, s.step * momentumDecay));
        double muNext = beta1 * (1. - 0.5 * Math.pow(0.96, (s.step + 1) * momentumDecay));
        s.muProduct *= mu;
        INDArray g = withWeightDecay(params, grad, weightDecay);
        INDArray t = scratch(params, 1);
        INDArray u = scratch(params, 2);
        s.expAvg.muli(beta1).addi(t.assign(g).muli(1 - beta1));
        s.expAvgSq.muli(beta2).addi(t.assign(g).muli(g).muli(1 - beta2));
        INDArray denom = Transforms.sqrt(t.assign(s.expAvgSq), false).divi(Math.sqrt(biasCorrection2)).addi(eps);
        double stepSizeGrad = lr() * (1. - mu) / (1. - s.muProduct);
        double stepSizeExpAvg = lr() * muNext / (1. - s.muProduct * muNext);
        params.subi(u.assign(g).divi(denom).muli(stepSizeGrad));
        params.subi(u.assign(s.expAvg).divi(denom).muli(stepSizeExpAvg));
    }
}
