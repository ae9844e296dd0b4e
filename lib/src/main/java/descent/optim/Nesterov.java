package descent.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SGD with Nesterov momentum, {@code torch.optim.SGD(momentum=..., dampening=0, nesterov=True)}.
 *
 * <pre>
 * g &larr; grad + weight_decay &middot; p          (coupled L2; skipped when weight_decay = 0)
 * b &larr; g                                 at the first step of this array
 * b &larr; momentum &middot; b + g                  afterwards
 * p &larr; p &minus; lr &middot; (g + momentum &middot; b)
 * </pre>
 *
 * <p>Options: {@code lr} = 0.01 (torch: required, no default), {@code momentum} = 0.9 (torch's
 * default 0 is invalid with nesterov; must be &gt; 0), {@code weight_decay} = 0.
 *
 * <p>State per array: the momentum buffer {@code b}.
 */
public final class Nesterov extends AbstractOptimizer<Nesterov.State> {

    /** Valid options with their defaults. */
    public static final Map<String, Double> DEFAULTS =
            Options.ordered("lr", 0.01, "momentum", 0.9, "weight_decay", 0.0);

    /** Per-array state. */
    public static final class State {
        /** Momentum buffer b; null before the first step. */
        public INDArray momentumBuffer;
    }

    private final double momentum;
    private final double weightDecay;

    public Nesterov() {
        this(Map.of());
    }

    public Nesterov(Map<String, Double> options) {
        super("nesterov", DEFAULTS, options);
        this.momentum = option("momentum");
        this.weightDecay = option("weight_decay");
        if (momentum <= 0) {
            throw new IllegalArgumentException(
                    "nesterov: option 'momentum' must be > 0 (as in torch), got " + momentum);
        }
    }

    @Override
    protected State newState(INDArray params) {
        return new State();
    }

    @Override
    protected void update(INDArray params, INDArray grad, State s) {
        INDArray g = withWeightDecay(params, grad, weightDecay);
        if (s.momentumBuffer == null) {
            s.momentumBuffer = g.dup();
        } else {
            s.momentumBuffer.muli(momentum).addi(g);
        }
        INDArray d = scratch(params, 1).assign(s.momentumBuffer).muli(momentum).addi(g);    // g + momentum * b
        params.subi(d.muli(lr()));
    }
}
