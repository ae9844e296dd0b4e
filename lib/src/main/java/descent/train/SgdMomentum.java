package descent.train;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Stochastic gradient descent with momentum and optional weight decay, with PyTorch's
 * {@code torch.optim.SGD(params, lr, momentum, weight_decay=wd)} semantics (no dampening, no Nesterov):
 * <pre>
 *   g = grad + wd * p
 *   v = mu * v + g          (v starts at 0, so the first step has v = g, as PyTorch's buffer = grad.clone())
 *   p = p - lr * v
 * </pre>
 * State: the velocity {@code v}, one value per parameter.
 */
public final class SgdMomentum implements UpdateRule, UpdateRule.HasState {

    private double lr;
    private final double momentum;
    private final double weightDecay;
    private INDArray velocity;

    /** SGD with momentum, no weight decay. */
    public SgdMomentum(double lr, double momentum) {
        this(lr, momentum, 0.0);
    }

    public SgdMomentum(double lr, double momentum, double weightDecay) {
        check("lr", lr);
        check("momentum", momentum);
        check("weightDecay", weightDecay);
        if (momentum >= 1) {
            throw new IllegalArgumentException("momentum must be < 1, got " + momentum);
        }
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    private static void check(String name, double v) {
        if (!Double.isFinite(v) || v < 0) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + v);
        }
    }

    @Override
    public void step(INDArray params, INDArray grad) {
        if (!java.util.Arrays.equals(params.shape(), grad.shape())) {
            throw new IllegalArgumentException("params " + java.util.Arrays.toString(params.shape())
                    + " and grad " + java.util.Arrays.toString(grad.shape()) + " differ in shape");
        }
        state(params.length(), params.dataType());
        INDArray v = velocity.reshape(params.shape());
        var blas = Nd4j.getBlasWrapper().level1();
        v.muli(momentum).addi(grad);
        if (weightDecay != 0) {
            blas.axpy(v.length(), weightDecay, params, v);      // v += wd * p
        }
        blas.axpy(params.length(), -lr, v, params);             // p -= lr * v
    }

    @Override
    public List<INDArray> state(long length, DataType type) {
        if (velocity == null || velocity.length() != length || velocity.dataType() != type) {
            velocity = Nd4j.zeros(type, length);
        }
        return List.of(velocity);
    }

    /** The velocity vector (null before the first step). */
    public INDArray velocity() {
        return velocity;
    }

    @Override
    public double lr() {
        return lr;
    }

    @Override
    public void setLr(double lr) {
        check("lr", lr);
        this.lr = lr;
    }

    @Override
    public String name() {
        return "SGD(lr=" + lr + ", momentum=" + momentum + (weightDecay != 0 ? ", weight_decay=" + weightDecay : "")
                + ")";
    }

    @Override
    public void reset() {
        velocity = null;
    }

    @Override
    public String toString() {
        return name();
    }
}
