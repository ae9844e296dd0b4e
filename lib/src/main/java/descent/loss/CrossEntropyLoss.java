package descent.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Softmax cross-entropy on logits, PyTorch {@code F.cross_entropy(z, classIndex)} (reduction {@code 'mean'}).
 * The prediction holds logits z [N, C] (no softmax applied), the target is one-hot [N, C].
 *
 * <pre>
 *   log p_ij = z_ij - logsumexp_k(z_ik)                 (log-softmax)
 *   L        = (1/N) * sum_i -log p_{i, y_i}            (y_i = the class whose target entry is 1)
 *   dL/dz_ij = (1/N) * (p_ij - t_ij)                    (t = the one-hot target)
 * </pre>
 *
 * {@code logsumexp_k(z_k) = m + log(sum_k exp(z_k - m))} with {@code m = max_k z_k}, so large logits
 * (e.g. 1000) neither overflow nor give NaN.
 *
 * <p>Name: {@code "cross_entropy"}; no options.
 */
public final class CrossEntropyLoss implements Loss {

    @Override
    public String name() {
        return "cross_entropy";
    }

    @Override
    public double value(INDArray logits, INDArray target) {
        int[] classOf = Inputs.requireLogitsAndOneHot(name(), logits, target);
        double[] z = Inputs.finiteValues(name(), "prediction", logits);
        int n = classOf.length;
        int c = z.length / n;
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            sum += Inputs.logSumExp(z, i * c, c) - z[i * c + classOf[i]];
        }
        return sum / n;
    }

    @Override
    public INDArray gradient(INDArray logits, INDArray target) {
        int[] classOf = Inputs.requireLogitsAndOneHot(name(), logits, target);
        double[] z = Inputs.finiteValues(name(), "prediction", logits);
        int n = classOf.length;
        int c = z.length / n;
        double[] grad = new double[z.length];
        for (int i = 0; i < n; i++) {
            double logSumExp = Inputs.logSumExp(z, i * c, c);
            for (int j = 0; j < c; j++) {
                double p = Math.exp(z[i * c + j] - logSumExp);
                grad[i * c + j] = (p - (j == classOf[i] ? 1.0 : 0.0)) / n;
            }
        }
        return Inputs.arrayLike(grad, logits);
    }

    @Override
    public String toString() {
        return Losses.describe(this);
    }
}
