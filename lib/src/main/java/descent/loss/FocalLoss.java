package descent.loss;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Multi-class focal loss (Lin et al. 2017, without the alpha weights) on logits z [N, C] with one-hot target
 * [N, C]. It down-weights examples the model already classifies confidently, by the factor (1 - p_t)^gamma.
 *
 * <pre>
 *   p_i   = softmax(z_i),   p_t = p_{i, y_i}            (y_i = the class whose target entry is 1)
 *   L     = (1/N) * sum_i -(1 - p_t)^gamma * log p_t
 *
 *   dL/dz_ij = (1/N) * (p_ij - t_ij) * w_i,             (t = the one-hot target)
 *   w_i      = (1 - p_t)^gamma * (1 - gamma * p_t * log p_t / (1 - p_t))
 * </pre>
 *
 * With gamma = 0, w_i = 1 and this is exactly {@link CrossEntropyLoss}. The weight w_i follows from
 * d log p_t / dz_ij = t_ij - p_ij and d p_t / dz_ij = p_t (t_ij - p_ij). For accuracy, log p_t is a
 * log-softmax (log-sum-exp), 1 - p_t is computed as {@code -expm1(log p_t)}, and the ratio
 * log p_t / (1 - p_t) takes its limit -1 when 1 - p_t underflows to 0.
 *
 * <p>Name: {@code "focal"}; option {@code gamma} &gt;= 0, default 2.0.
 */
public final class FocalLoss implements Loss {

    /** Default {@code gamma}, as in the paper. */
    public static final double DEFAULT_GAMMA = 2.0;

    private final double gamma;

    /** Focal loss with {@code gamma} = 2.0. */
    public FocalLoss() {
        this(DEFAULT_GAMMA);
    }

    /** Focal loss with the given focusing parameter; must be &gt;= 0 (0 gives cross-entropy). */
    public FocalLoss(double gamma) {
        this.gamma = Inputs.requireOption("focal", "gamma", gamma, false);
    }

    /** The focusing parameter. */
    public double gamma() {
        return gamma;
    }

    @Override
    public String name() {
        return "focal";
    }

    @Override
    public Map<String, Double> options() {
        return Map.of("gamma", gamma);
    }

    @Override
    public double value(INDArray logits, INDArray target) {
        int[] classOf = Inputs.requireLogitsAndOneHot(name(), logits, target);
        double[] z = Inputs.finiteValues(name(), "prediction", logits);
        int n = classOf.length;
        int c = z.length / n;
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            double logPt = z[i * c + classOf[i]] - Inputs.logSumExp(z, i * c, c);
            double oneMinusPt = -Math.expm1(logPt);
            sum += -Math.pow(oneMinusPt, gamma) * logPt;
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
            double logPt = z[i * c + classOf[i]] - logSumExp;
            double pt = Math.exp(logPt);
            double oneMinusPt = -Math.expm1(logPt);
            double logPtOverOneMinusPt = oneMinusPt == 0.0 ? -1.0 : logPt / oneMinusPt;
            double weight = Math.pow(oneMinusPt, gamma) * (1.0 - gamma * pt * logPtOverOneMinusPt);
            for (int j = 0; j < c; j++) {
                double p = Math.exp(z[i * c + j] - logSumExp);
                grad[i * c + j] = (p - (j == classOf[i] ? 1.0 : 0.0)) * weight / n;
            }
        }
        return Inputs.arrayLike(grad, logits);
    }

    @Override
    public String toString() {
        return Losses.describe(this);
    }
}
