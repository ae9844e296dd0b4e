package descent.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Base of the losses that are a mean over elements: {@code L = (1/n) sum_i l(p_i, y_i)} over all n elements of
 * prediction p and target y, which must have the same shape (any rank). A subclass gives the per-element loss
 * {@link #elementValue} and its derivative {@link #elementDerivative}, and may restrict the domain in
 * {@link #checkValues}.
 */
abstract class ElementwiseLoss implements Loss {

    /** l(p, y): the loss of one element. */
    abstract double elementValue(double p, double y);

    /** dl/dp (p, y): the derivative of one element's loss with respect to its prediction. */
    abstract double elementDerivative(double p, double y);

    /**
     * Called with the (finite) prediction and target values in row-major order before anything is computed;
     * throws {@link IllegalArgumentException} for values outside the loss's domain. Default: accepts all.
     */
    void checkValues(long[] shape, double[] p, double[] y) {}

    @Override
    public final double value(INDArray prediction, INDArray target) {
        double[][] py = values(prediction, target);
        double[] p = py[0];
        double[] y = py[1];
        double sum = 0.0;
        for (int i = 0; i < p.length; i++) {
            sum += elementValue(p[i], y[i]);
        }
        return sum / p.length;
    }

    @Override
    public final INDArray gradient(INDArray prediction, INDArray target) {
        double[][] py = values(prediction, target);
        double[] p = py[0];
        double[] y = py[1];
        double[] grad = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            grad[i] = elementDerivative(p[i], y[i]) / p.length;
        }
        return Inputs.arrayLike(grad, prediction);
    }

    private double[][] values(INDArray prediction, INDArray target) {
        Inputs.requireSameShape(name(), prediction, target);
        double[] p = Inputs.finiteValues(name(), "prediction", prediction);
        double[] y = Inputs.finiteValues(name(), "target", target);
        checkValues(prediction.shape(), p, y);
        return new double[][] {p, y};
    }

    @Override
    public String toString() {
        return Losses.describe(this);
    }
}
