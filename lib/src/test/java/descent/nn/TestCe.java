package descent.nn;

import descent.loss.CrossEntropyLoss;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Tests' cross-entropy on class labels: descent.loss.CrossEntropyLoss with one-hot targets. */
final class TestCe {

    private TestCe() {
    }

    /** Mean cross-entropy of {@code logits} against {@code labels}; writes dL/dlogits into {@code grad} if not null. */
    static double compute(INDArray logits, int[] labels, INDArray grad) {
        int n = (int) logits.size(0);
        INDArray t = Nd4j.zeros(logits.dataType(), n, logits.size(1));
        for (int i = 0; i < n; i++) {
            t.putScalar(i, labels[i], 1.0);
        }
        CrossEntropyLoss ce = new CrossEntropyLoss();
        if (grad != null) {
            grad.assign(ce.gradient(logits, t));
        }
        return ce.value(logits, t);
    }
}
