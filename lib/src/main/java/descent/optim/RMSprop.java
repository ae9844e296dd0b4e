package descent.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * RMSprop, {@code torch.optim.RMSprop} (not centered).
 *
 * <pre>
 * g &larr; grad + weight_decay &middot; p          (coupled L2; skipped when weight_decay = 0)
 * v &larr; alpha &middot; v + (1 &minus; alpha) &middot; g&sup2;      (v starts at 0)
 * d &larr; &radic;v + eps                           (eps outside the square root)
 * if momentum &gt; 0:  b &larr; momentum &middot; b + g / d;   p &larr; p &minus; lr &middot; b
 * else:              p &larr; p &minus; lr &middot; g / d
 * </pre>
 *
 * <p>Options (torch defaults): {@code lr} = 0.01, {@code alpha} = 0.99, {@code eps} = 1e-8,
 * {@code weight_decay} = 0, {@code momentum} = 0. Torch's {@code centered=True} variant is not
 * implemented.
 *
 * <p>State per array: the running average of squared gradients {@code v}, and the buffer
 * {@code b} when momentum &gt; 0.
 */
public final class RMSprop extends AbstractOptimizer<RMSprop.State> {

    /** Valid options with their defaults. */
    public static final Map<String, Double> DEFAULTS = Options.ordered("lr", 0.01, "alpha", 0.99,
            "eps", 1e-8, "weight_decay", 0.0, "momentum", 0.0);

    /** Per-array state. */
    public static final class State {
        /** Running average of squared gradients v. */
        public INDArray squareAvg;
        /** Momentum buffer b (zeros; used only when momentum &gt; 0). */
        public INDArray momentumBuffer;
    }

    private final double alpha;
    private final double eps;
    private final double weightDecay;
    private final double momentum;

    public RMSprop() {
        this(Map.of());
    }

    public RMSprop(Map<String, Double> options) {
        super("rmsprop", DEFAULTS, options);
        this.alpha = option("alpha");
        this.eps = option("eps");
        this.weightDecay = option("weight_decay");
        this.momentum = option("momentum");
    }

    @Override
    protected State newState(INDArray params) {
        State s = new State();
        s.squareAvg = Nd4j.zerosLike(params);
        if (momentum > 0) {
            s.momentumBuffer = Nd4j.zerosLike(params);
        }
        return s;
    }

    @Override
    protected void update(INDArray params, INDArray grad, State s) {
        INDArray g = withWeightDecay(params, grad, weightDecay);
        INDArray t = scratch(params, 1);
        INDArray u = scratch(params, 2);
        s.squareAvg.muli(alpha).addi(t.assign(g).muli(g).muli(1 - alpha));
        INDArray d = Transforms.sqrt(t.assign(s.squareAvg), false).addi(eps);
        if (momentum > 0) {
            s.momentumBuffer.muli(momentum).addi(u.assign(g).divi(d));
            params.subi(u.assign(s.momentumBuffer).muli(lr()));
        } else {
            params.subi(u.assign(g).divi(d).muli(lr()));
        }
    }
}
