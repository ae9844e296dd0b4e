package descent.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SGD with (heavy-ball) momentum, {@code torch.optim.SGD(momentum=..., dampening=0,
 * nesterov=False)}.
 *
 * <pre>
 * g &larr; grad + weight_decay &middot; p          (coupled L2; skipped when weight_decay = 0)
 * b &larr; g                                 at the first step of this array
 * b &larr; momentum &middot; b + g                  afterwards
 * p &larr; p &minus; lr &middot; b
 * </pre>
 *
 * <p>Options: {@code lr} = 0.01 (torch: required, no default), {@code momentum} = 0.9 (torch's
 * default is 0, which would make this plain SGD), {@code weight_decay} = 0.
 *
 * <p>State per array: the momentum buffer {@code b}. Note that {@code lr} multiplies the buffer
 * at each step, so changing {@code lr} takes effect at once (unlike formulations that fold
 * {@code lr} into the velocity, see {@link Nd4jUpdater}).
 */
public final class Momentum extends AbstractOptimizer<Momentum.State> {

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

    public Momentum() {
        this(Map.of());
    }

    public Momentum(Map<String, Double> options) {
        super("momentum", DEFAULTS, options);
        this.momentum = option("momentum");
        this.weightDecay = option("weight_decay");
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
        params.subi(scratch(params, 1).assign(s.momentumBuffer).muli(lr()));
    }
}
