package descent.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mean softmax cross-entropy over a batch, as PyTorch's {@code F.cross_entropy(logits, labels)}:
 * <pre>
 *   loss   = (1/B) sum_n [ logsumexp(z_n) - z_n[y_n] ]
 *   dz_n   = (softmax(z_n) - onehot(y_n)) / B
 * </pre>
 * Computed in double precision in Java (the logits are only {@code B x classes} numbers), with the max subtracted
 * before exponentiating.
 */
public final class SoftmaxCrossEntropy {

    private SoftmaxCrossEntropy() {
    }

    /** Loss, and the number of rows whose arg-max equals the label. */
    public record Result(double loss, int correct) {
    }

    /**
     * Computes the mean loss of {@code logits [B, K]} against {@code labels[0..B)}; writes dLoss/dLogits into
     * {@code grad} (same shape; may be null) and each row's arg-max into {@code predicted} (may be null).
     */
    public static Result compute(INDArray logits, int[] labels, INDArray grad, int[] predicted) {
        if (logits.rank() != 2 || labels.length < logits.size(0)) {
            throw new IllegalArgumentException("logits must be [batch, classes] with a label per row, got logits "
                    + java.util.Arrays.toString(logits.shape()) + " and " + labels.length + " labels");
        }
        int b = (int) logits.size(0);
        int k = (int) logits.size(1);
        double[] z = logits.dup('c').data().asDouble();
        double[] g = new double[b * k];
        double total = 0;
        int correct = 0;
        for (int n = 0; n < b; n++) {
            int y = labels[n];
            if (y < 0 || y >= k) {
                throw new IllegalArgumentException("label " + y + " at row " + n + " is outside 0.." + (k - 1));
            }
            double max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int c = 0; c < k; c++) {
                double v = z[n * k + c];
                if (v > max || Double.isNaN(v)) {
                    max = v;
                    arg = c;
                }
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(z[n * k + c] - max);
            }
            double logSumExp = max + Math.log(sum);
            total += logSumExp - z[n * k + y];
            for (int c = 0; c < k; c++) {
                g[n * k + c] = (Math.exp(z[n * k + c] - logSumExp) - (c == y ? 1 : 0)) / b;
            }
            if (arg == y) {
                correct++;
            }
            if (predicted != null) {
                predicted[n] = arg;
            }
        }
        if (grad != null) {
            grad.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(g).reshape(b, k).castTo(grad.dataType()));
        }
        return new Result(total / b, correct);
    }
}
