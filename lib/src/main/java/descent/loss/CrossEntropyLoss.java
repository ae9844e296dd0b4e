package descent.loss;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Softmax cross-entropy on logits, PyTorch {@code F.cross_entropy(z, classIndex, label_smoothing=eps)} (reduction
 * {@code 'mean'}). The prediction holds logits z [N, C] (no softmax applied), the target is one-hot [N, C].
 *
 * <pre>
 *   log p_ij = z_ij - logsumexp_k(z_ik)                 (log-softmax)
 *   q_ij     = (1 - eps) * t_ij + eps / C               (the smoothed target; t = the one-hot target)
 *   L        = (1/N) * sum_i sum_j -q_ij log p_ij
 *            = (1/N) * sum_i [ (1 - eps) * (-log p_{i, y_i}) + eps * (1/C) sum_j -log p_ij ]
 *   dL/dz_ij = (1/N) * (p_ij - q_ij)
 * </pre>
 *
 * With {@code eps = 0} (the default) this is plain cross-entropy, {@code L = (1/N) sum_i -log p_{i, y_i}} and
 * {@code dL/dz = (p - t)/N}. With {@code eps > 0} (label smoothing, Szegedy et al. 2016) the loss no longer
 * reaches its minimum at infinite logits: for one example it is smallest where
 * {@code z_y - z_k = log((1 - eps + eps/C) / (eps/C))} for every other class k.
 *
 * <p>{@code logsumexp_k(z_k) = m + log(sum_k exp(z_k - m))} with {@code m = max_k z_k}, so large logits
 * (e.g. 1000) neither overflow nor give NaN.
 *
 * <p>Name: {@code "cross_entropy"}; option {@code label_smoothing} in [0, 1], default 0.0. {@link #options()} is
 * empty for the default (plain cross-entropy) and {@code {label_smoothing=eps}} otherwise.
 */
public final class CrossEntropyLoss implements Loss {

    /** Default {@code label_smoothing}, as in PyTorch: none. */
    public static final double DEFAULT_LABEL_SMOOTHING = 0.0;

    private final double labelSmoothing;

    /** Plain cross-entropy (no label smoothing). */
    public CrossEntropyLoss() {
        this(DEFAULT_LABEL_SMOOTHING);
    }

    /**
     * Cross-entropy with label smoothing {@code eps}, as PyTorch's {@code nn.CrossEntropyLoss(label_smoothing=eps)}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= eps <= 1}
     */
    public CrossEntropyLoss(double labelSmoothing) {
        Inputs.requireOption("cross_entropy", "label_smoothing", labelSmoothing, false);
        if (labelSmoothing > 1) {
            throw new IllegalArgumentException("cross_entropy: option 'label_smoothing' must be in [0, 1], got "
                    + labelSmoothing);
        }
        this.labelSmoothing = labelSmoothing;
    }

    /** The label smoothing eps: the target is {@code (1 - eps) * onehot + eps / C}. */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    @Override
    public String name() {
        return "cross_entropy";
    }

    @Override
    public Map<String, Double> options() {
        return labelSmoothing == 0.0 ? Map.of() : Map.of("label_smoothing", labelSmoothing);
    }

    @Override
    public double value(INDArray logits, INDArray target) {
        int[] classOf = Inputs.requireLogitsAndOneHot(name(), logits, target);
        double[] z = Inputs.finiteValues(name(), "prediction", logits);
        int n = classOf.length;
        int c = z.length / n;
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            double logSumExp = Inputs.logSumExp(z, i * c, c);
            double hot = logSumExp - z[i * c + classOf[i]];
            if (labelSmoothing == 0.0) {
                sum += hot;
            } else {
                double all = 0.0;
                for (int j = 0; j < c; j++) {
                    all += logSumExp - z[i * c + j];
                }
                sum += (1 - labelSmoothing) * hot + labelSmoothing * all / c;
            }
        }
        return sum / n;
    }

    @Override
    public INDArray gradient(INDArray logits, INDArray target) {
        int[] classOf = Inputs.requireLogitsAndOneHot(name(), logits, target);
        double[] z = Inputs.finiteValues(name(), "prediction", logits);
        int n = classOf.length;
        int c = z.length / n;
        double off = labelSmoothing / c;
        double on = 1 - labelSmoothing + off;
        double[] grad = new double[z.length];
        for (int i = 0; i < n; i++) {
            double logSumExp = Inputs.logSumExp(z, i * c, c);
            for (int j = 0; j < c; j++) {
                double p = Math.exp(z[i * c + j] - logSumExp);
                grad[i * c + j] = (p - (j == classOf[i] ? on : off)) / n;
            }
        }
        return Inputs.arrayLike(grad, logits);
    }

    @Override
    public String toString() {
        return Losses.describe(this);
    }
}
