package descent.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossHinge;
import org.nd4j.linalg.lossfunctions.impl.LossL1;
import org.nd4j.linalg.lossfunctions.impl.LossL2;
import org.nd4j.linalg.lossfunctions.impl.LossMAE;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * ND4J's own loss functions ({@code org.nd4j.linalg.lossfunctions.impl}, 1.0.0-M2.1) against ours, on [N, C] =
 * [4, 3] inputs, pinning every place where the conventions differ.
 *
 * <p>ND4J: {@code computeScore(labels, preOutput, activation, null, true)} = (sum over all N*C per-element losses)
 * / N, i.e. it sums over the C outputs and averages over the N examples (MSE and MAE then divide by C again);
 * {@code computeGradient} is the gradient of the <em>sum</em> over examples (DL4J divides by the minibatch size
 * later) with respect to the pre-activation. Ours (PyTorch's): the mean over all N*C elements (over the N rows for
 * cross_entropy) and the gradient of that mean with respect to the prediction.
 */
class LossNd4jTest {

    static final int N = 4;
    static final int C = 3;
    static final double TOL = 1e-12;

    final Random random = new Random(7);
    final IActivation identity = new ActivationIdentity();

    @Test
    void mseScoreEqualsOursGradientIsNTimesOurs() {
        INDArray p = matrix(random::nextGaussian);
        INDArray y = matrix(random::nextGaussian);
        Loss ours = new MseLoss();
        assertClose(ours.value(p, y), score(new LossMSE(), y, p, identity));
        assertClose(ours.gradient(p, y).mul(N), new LossMSE().computeGradient(y, p, identity, null));
    }

    @Test
    void l2IsCTimesOurMseGradientNcTimes() {
        INDArray p = matrix(random::nextGaussian);
        INDArray y = matrix(random::nextGaussian);
        Loss ours = new MseLoss();
        assertClose(C * ours.value(p, y), score(new LossL2(), y, p, identity));
        assertClose(ours.gradient(p, y).mul(N * C), new LossL2().computeGradient(y, p, identity, null));
    }

    @Test
    void l1IsCTimesOurMaeGradientNcTimes() {
        INDArray p = matrix(random::nextGaussian);
        INDArray y = matrix(random::nextGaussian);
        Loss ours = new MaeLoss();
        assertClose(C * ours.value(p, y), score(new LossL1(), y, p, identity));
        assertClose(ours.gradient(p, y).mul(N * C), new LossL1().computeGradient(y, p, identity, null));
    }

    @Test
    void maeScoreEqualsOursGradientIsNTimesOursButScoreArrayIsNotDividedByC() {
        INDArray p = matrix(random::nextGaussian);
        INDArray y = matrix(random::nextGaussian);
        Loss ours = new MaeLoss();
        assertClose(ours.value(p, y), score(new LossMAE(), y, p, identity));
        assertClose(ours.gradient(p, y).mul(N), new LossMAE().computeGradient(y, p, identity, null));
        // Quirk: LossMAE.computeScoreArray divides the [N, 1] per-example array by its own size(1) = 1 instead of
        // by C, so the per-example scores are LossL1's (sums over outputs): their mean is C times computeScore.
        INDArray perExample = new LossMAE().computeScoreArray(y, p, identity, null);
        assertClose(new LossL1().computeScoreArray(y, p, identity, null), perExample);
        assertClose(C * ours.value(p, y), perExample.meanNumber().doubleValue());
        // LossMSE's per-example scores are divided by C, consistent with its computeScore.
        assertClose(new MseLoss().value(p, y),
                new LossMSE().computeScoreArray(y, p, identity, null).meanNumber().doubleValue());
    }

    @Test
    void binaryXentOnProbabilitiesIsCTimesOursGradientNcTimes() {
        INDArray p = matrix(() -> 0.05 + 0.9 * random.nextDouble()); // inside ND4J's clip range [1e-5, 1 - 1e-5]
        INDArray y = matrix(() -> random.nextInt(2));
        Loss ours = new BceLoss();
        assertClose(C * ours.value(p, y), score(new LossBinaryXENT(), y, p, identity));
        assertClose(ours.gradient(p, y).mul(N * C), new LossBinaryXENT().computeGradient(y, p, identity, null));
    }

    @Test
    void binaryXentWithSigmoidGivesTheGradientWithRespectToLogits() {
        INDArray z = matrix(random::nextGaussian);
        INDArray y = matrix(() -> random.nextInt(2));
        INDArray p = Transforms.sigmoid(z, true);
        Loss ours = new BceLoss();
        assertClose(C * ours.value(p, y), score(new LossBinaryXENT(), y, z, new ActivationSigmoid()));
        INDArray nd4j = new LossBinaryXENT().computeGradient(y, z, new ActivationSigmoid(), null);
        // chain rule through the sigmoid: dL/dz = dL/dp * p (1 - p); times N * C for ND4J's scaling: = p - y
        INDArray chained = ours.gradient(p, y).mul(p).mul(p.rsub(1.0)).muli(N * C);
        assertClose(chained, nd4j, 1e-10);
        assertClose(p.sub(y), nd4j, 1e-10);
    }

    @Test
    void binaryXentClipsProbabilitiesAt1eMinus5WhereTorchClampsTheLogAtMinus100() {
        INDArray p = Nd4j.createFromArray(new double[][] {{1e-7, 0.5, 1 - 1e-7}});
        INDArray y = Nd4j.createFromArray(new double[][] {{1.0, 1.0, 0.0}});
        double ours = new BceLoss().value(p, y);
        // ours (torch): (-log(1e-7) - log(0.5) - log(1 - (1 - 1e-7))) / 3; about (16.118 + 0.693 + 16.118) / 3
        assertClose((-Math.log(1e-7) - Math.log(0.5) - Math.log(1 - (1 - 1e-7))) / 3, ours);
        // ND4J clips p to [1e-5, 1 - 1e-5] first: -log(1e-5) - log(0.5) - log(1 - (1 - 1e-5)), about 23.719
        double nd4j = score(new LossBinaryXENT(), y, p, identity);
        assertClose(-Math.log(1e-5) - Math.log(0.5) - Math.log(1 - (1 - 1e-5)), nd4j, 1e-9);
        // it is ours (times C) on the clipped probabilities, and without clipping it is ours times C
        INDArray clipped = Nd4j.createFromArray(new double[][] {{1e-5, 0.5, 1 - 1e-5}});
        assertClose(C * new BceLoss().value(clipped, y), nd4j, 1e-9);
        assertClose(C * ours, score(new LossBinaryXENT(0.0), y, p, identity), 1e-9);
        // the gradient is also taken at the clipped p: at [0, 0], (p - y) / (p (1 - p)) with p = 1e-5, y = 1
        // = (1e-5 - 1) / (1e-5 (1 - 1e-5)) = -1 / 1e-5 = -1e5; ours at p = 1e-7: -1 / 1e-7 / (N C = 3)
        INDArray gradient = new LossBinaryXENT().computeGradient(y, p, identity, null);
        assertClose(-1.0 / 1e-5, gradient.getDouble(0, 0), 1e-9);
        assertClose(-1.0 / 1e-7 / 3, new BceLoss().gradient(p, y).getDouble(0, 0), 1e-9);
    }

    @Test
    void hingeIsCTimesOursGradientNcTimesWithTheSameChoiceAtTheKink() {
        INDArray f = matrix(random::nextGaussian);
        f.putScalar(0, 0, 1.0); // exactly at the kink y * f = 1 for y = +1
        INDArray y = matrix(() -> 2 * random.nextInt(2) - 1);
        y.putScalar(0, 0, 1.0);
        Loss ours = new HingeLoss();
        assertClose(C * ours.value(f, y), score(new LossHinge(), y, f, identity));
        INDArray nd4j = new LossHinge().computeGradient(y, f, identity, null);
        assertClose(ours.gradient(f, y).mul(N * C), nd4j);
        assertTrue(nd4j.getDouble(0, 0) == 0.0); // == so that -0.0 counts as 0
        assertTrue(ours.gradient(f, y).getDouble(0, 0) == 0.0);
    }

    @Test
    void mcxentWithSoftmaxScoreEqualsOursGradientWithRespectToLogitsIsNTimesOurs() {
        INDArray z = matrix(() -> 2 * random.nextGaussian());
        INDArray y = oneHot(random);
        Loss ours = new CrossEntropyLoss();
        assertClose(ours.value(z, y), score(new LossMCXENT(), y, z, new ActivationSoftmax()));
        INDArray nd4j = new LossMCXENT().computeGradient(y, z, new ActivationSoftmax(), null);
        assertClose(ours.gradient(z, y).mul(N), nd4j);
        assertClose(Transforms.softmax(z, true).sub(y), nd4j, 1e-12); // softmax(z) - y: pre-softmax gradient
    }

    @Test
    void mcxentClipsSoftmaxAt1eMinus10SoALossPerExampleIsAtMost23() {
        INDArray z = Nd4j.createFromArray(new double[][] {{30.0, 0.0, 0.0}});
        INDArray y = Nd4j.createFromArray(new double[][] {{0.0, 1.0, 0.0}});
        // ours (torch): logsumexp(z) - z_1 = 30 + log(1 + 2 exp(-30)) - 0, about 30.0
        double ours = new CrossEntropyLoss().value(z, y);
        assertClose(30 + Math.log1p(2 * Math.exp(-30)), ours);
        // ND4J: softmax clipped to >= 1e-10 before the log: -log(1e-10) = 23.0258...
        assertClose(-Math.log(1e-10), score(new LossMCXENT(), y, z, new ActivationSoftmax()), 1e-9);
        assertClose(ours, score(new LossMCXENT(0.0, null), y, z, new ActivationSoftmax()), 1e-9);
        // the gradient ignores the clip: softmax(z) - y, the same as ours (N = 1)
        assertClose(new CrossEntropyLoss().gradient(z, y),
                new LossMCXENT().computeGradient(y, z, new ActivationSoftmax(), null), 1e-12);
    }

    private static double score(ILossFunction loss, INDArray labels, INDArray preOutput, IActivation activation) {
        return loss.computeScore(labels, preOutput.dup(), activation, null, true);
    }

    private static INDArray matrix(DoubleSupplier values) {
        double[][] data = new double[N][C];
        for (double[] row : data) {
            for (int j = 0; j < C; j++) {
                row[j] = values.getAsDouble();
            }
        }
        return Nd4j.createFromArray(data);
    }

    private static INDArray oneHot(Random random) {
        INDArray y = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, N, C);
        for (int i = 0; i < N; i++) {
            y.putScalar(i, random.nextInt(C), 1.0);
        }
        return y;
    }

    private static void assertClose(double expected, double actual) {
        assertClose(expected, actual, TOL);
    }

    private static void assertClose(double expected, double actual, double rtol) {
        assertTrue(Math.abs(expected - actual) <= rtol * Math.abs(expected),
                () -> "expected " + expected + ", got " + actual);
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        assertClose(expected, actual, TOL);
    }

    private static void assertClose(INDArray expected, INDArray actual, double rtol) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()));
        double[] e = expected.dup('c').data().asDouble();
        double[] a = actual.dup('c').data().asDouble();
        for (int i = 0; i < e.length; i++) {
            int at = i;
            assertTrue(Math.abs(e[i] - a[i]) <= rtol * Math.abs(e[i]) + 1e-15,
                    () -> "element " + at + ": expected " + e[at] + ", got " + a[at] + "\nexpected " + expected
                            + "\nactual " + actual);
        }
    }
}
