package descent.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adagrad, {@code torch.optim.Adagrad}.
 *
 * <pre>
 * t &larr; t + 1
 * g &larr; grad + weight_decay &middot; p          (coupled L2; skipped when weight_decay = 0)
 * clr &larr; lr / (1 + (t &minus; 1) &middot; lr_decay)
 * s &larr; s + g&sup2;                             (s starts at initial_accumulator_value)
 * p &larr; p &minus; clr &middot; g / (&radic;s + eps)         (eps outside the square root)
 * </pre>
 *
 * <p>Options (torch defaults): {@code lr} = 0.01, {@code lr_decay} = 0, {@code weight_decay} =
 * 0, {@code initial_accumulator_value} = 0, {@code eps} = 1e-10.
 *
 * <p>State per array: step count {@code t}, sum of squared gradients {@code s}.
 */
public final class Adagrad extends AbstractOptimizer<Adagrad.State> {

    /** Valid options with their defaults. */
    public static final Map<String, Double> DEFAULTS = Options.ordered("lr", 0.01, "lr_decay", 0.0,
            "weight_decay", 0.0, "initial_accumulator_value", 0.0, "eps", 1e-10);

    /** Per-array state. */
    public static final class State {
        /** Steps taken on this array. */
        public int step;
        /** Sum of squared gradients s. */
        public INDArray sum;
    }

    private final double lrDecay;
    private final double weightDecay;
    private final double initialAccumulatorValue;
    private final double eps;

    public Adagrad() {
        this(Map.of());
    }

    public Adagrad(Map<String, Double> options) {
        super("adagrad", DEFAULTS, options);
        this.lrDecay = option("lr_decay");
        this.weightDecay = option("weight_decay");
        this.initialAccumulatorValue = option("initial_accumulator_value");
        this.eps = option("eps");
    }

    @Override
    protected State newState(INDArray params) {
        State s = new State();
        s.sum = Nd4j.zerosLike(params).addi(initialAccumulatorValue);
        return s;
    }

    @Override
    protected void update(INDArray params, INDArray grad, State s) {
        s.step++;
        INDArray g = withWeightDecay(params, grad, weightDecay);
        INDArray t = scratch(params, 1);
        double clr = lr() / (1 + (s.step - 1) * lrDecay);
        s.sum.addi(t.assign(g).muli(g));
        INDArray std = Transforms.sqrt(t.assign(s.sum), false).addi(eps);
        params.subi(scratch(params, 2).assign(g).divi(std).muli(clr));
    }
}
