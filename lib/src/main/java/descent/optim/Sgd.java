package descent.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Plain stochastic gradient descent, {@code torch.optim.SGD} with {@code momentum=0}.
 *
 * <pre>
 * g &larr; grad + weight_decay &middot; p          (coupled L2; skipped when weight_decay = 0)
 * p &larr; p &minus; lr &middot; g
 * </pre>
 *
 * <p>Options (PyTorch names): {@code lr} = 0.01, {@code weight_decay} = 0. PyTorch's SGD has no
 * default learning rate (it is a required argument); descent chooses 0.01.
 *
 * <p>State: none.
 */
public final class Sgd extends AbstractOptimizer<Void> {

    /** Valid options with their defaults. */
    public static final Map<String, Double> DEFAULTS =
            Options.ordered("lr", 0.01, "weight_decay", 0.0);

    private final double weightDecay;

    public Sgd() {
        this(Map.of());
    }

    public Sgd(Map<String, Double> options) {
        super("sgd", DEFAULTS, options);
        this.weightDecay = option("weight_decay");
    }

    @Override
    protected Void newState(INDArray params) {
        return null;
    }

    @Override
    protected void update(INDArray params, INDArray grad, Void state) {
        INDArray g = withWeightDecay(params, grad, weightDecay);
        params.subi(scratch(params, 1).assign(g).muli(lr()));
    }
}
