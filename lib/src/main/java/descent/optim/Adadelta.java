package descent.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adadelta, {@code torch.optim.Adadelta}.
 *
 * <pre>
 * g &larr; grad + weight_decay &middot; p          (coupled L2; skipped when weight_decay = 0)
 * v &larr; rho &middot; v + (1 &minus; rho) &middot; g&sup2;
 * &Delta; &larr; &radic;(u + eps) / &radic;(v + eps) &middot; g          (eps inside both square roots)
 * u &larr; rho &middot; u + (1 &minus; rho) &middot; &Delta;&sup2;
 * p &larr; p &minus; lr &middot; &Delta;
 * </pre>
 *
 * <p>Options (torch defaults): {@code lr} = 1.0, {@code rho} = 0.9, {@code eps} = 1e-6,
 * {@code weight_decay} = 0. The learning rate scales the step only; {@code u} accumulates the
 * unscaled {@code &Delta;}.
 *
 * <p>State per array: running averages of squared gradients {@code v} and of squared updates
 * {@code u}, both starting at 0.
 */
public final class Adadelta extends AbstractOptimizer<Adadelta.State> {

    /** Valid options with their defaults. */
    public static final Map<String, Double> DEFAULTS =
            Options.ordered("lr", 1.0, "rho", 0.9, "eps", 1e-6, "weight_decay", 0.0);

    /** Per-array state. */
    public static final class State {
        /** Running average of squared gradients v. */
        public INDArray squareAvg;
        /** Running average of squared updates u. */
        public INDArray accDelta;
    }

    private final double rho;
    private final double eps;
    private final double weightDecay;

    public Adadelta() {
        this(Map.of());
    }

    public Adadelta(Map<String, Double> options) {
        super("adadelta", DEFAULTS, options);
        this.rho = option("rho");
        this.eps = option("eps");
        this.weightDecay = option("weight_decay");
    }

    @Override
    protected State newState(INDArray params) {
        State s = new State();
        s.squareAvg = Nd4j.zerosLike(params);
        s.accDelta = Nd4j.zerosLike(params);
        return s;
    }

    @Override
    protected void update(INDArray params, INDArray grad, State s) {
        INDArray g = withWeightDecay(params, grad, weightDecay);
        INDArray t = scratch(params, 1);
        s.squareAvg.muli(rho).addi(t.assign(g).muli(g).muli(1 - rho));
        INDArray std = Transforms.sqrt(t.assign(s.squareAvg).addi(eps), false);
        INDArray delta = Transforms.sqrt(scratch(params, 2).assign(s.accDelta).addi(eps), false).divi(std).muli(g);
        s.accDelta.muli(rho).addi(t.assign(delta).muli(delta).muli(1 - rho));
        params.subi(delta.muli(lr()));
    }
}
