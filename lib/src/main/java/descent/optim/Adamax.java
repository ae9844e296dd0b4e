package descent.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adamax, {@code torch.optim.Adamax}: Adam with an infinity norm in place of the second moment.
 *
 * <pre>
 * t &larr; t + 1
 * g &larr; grad + weight_decay &middot; p          (coupled L2; skipped when weight_decay = 0)
 * m &larr; beta1 &middot; m + (1 &minus; beta1) &middot; g
 * u &larr; max(beta2 &middot; u, |g| + eps)          (elementwise; eps inside the max)
 * p &larr; p &minus; lr / (1 &minus; beta1^t) &middot; m / u
 * </pre>
 *
 * <p>Options (torch defaults): {@code lr} = 2e-3, {@code beta1} = 0.9, {@code beta2} = 0.999,
 * {@code eps} = 1e-8, {@code weight_decay} = 0.
 *
 * <p>State per array: step count {@code t}, {@code m}, the exponentially weighted infinity norm
 * {@code u}.
 */
public final class Adamax extends AbstractOptimizer<Adamax.State> {

    /** Valid options with their defaults. */
    public static final Map<String, Double> DEFAULTS = Options.ordered("lr", 2e-3, "beta1", 0.9,
            "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0);

    /** Per-array state. */
    public static final class State {
        /** Steps taken on this array. */
        public int step;
        /** First moment m. */
        public INDArray expAvg;
        /** Exponentially weighted infinity norm u. */
        public INDArray expInf;
    }

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;

    public Adamax() {
        this(Map.of());
    }

    public Adamax(Map<String, Double> options) {
        super("adamax", DEFAULTS, options);
        this.beta1 = option("beta1");
        this.beta2 = option("beta2");
        this.eps = option("eps");
        this.weightDecay = option("weight_decay");
    }

    @Override
    protected State newState(INDArray params) {
        State s = new State();
        s.expAvg = Nd4j.zerosLike(params);
        s.expInf = Nd4j.zerosLike(params);
        return s;
    }

    @Override
    protected void update(INDArray params, INDArray grad, State s) {
        s.step++;
        INDArray g = withWeightDecay(params, grad, weightDecay);
        INDArray t = scratch(params, 1);
        s.expAvg.muli(beta1).addi(t.assign(g).muli(1 - beta1));
        INDArray absPlusEps = Transforms.abs(t.assign(g), false).addi(eps);
        Transforms.max(s.expInf.muli(beta2), absPlusEps, false);    // in place: max(beta2 * expInf, |g| + eps)
        double clr = lr() / (1 - Math.pow(beta1, s.step));
        params.subi(scratch(params, 2).assign(s.expAvg).divi(s.expInf).muli(clr));
    }
}
