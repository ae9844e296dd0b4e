package descent.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The factory, names, options, and behaviour not covered by the torch vectors. */
class LossesTest {

    @Test
    void namesAreExactlyTheSevenLosses() {
        assertEquals(List.of("mse", "mae", "huber", "bce", "cross_entropy", "hinge", "focal"), Losses.names());
    }

    @Test
    void createReturnsTheClassForEachName() {
        assertInstanceOf(MseLoss.class, Losses.create("mse"));
        assertInstanceOf(MaeLoss.class, Losses.create("mae"));
        assertInstanceOf(HuberLoss.class, Losses.create("huber"));
        assertInstanceOf(BceLoss.class, Losses.create("bce"));
        assertInstanceOf(CrossEntropyLoss.class, Losses.create("cross_entropy"));
        assertInstanceOf(HingeLoss.class, Losses.create("hinge"));
        assertInstanceOf(FocalLoss.class, Losses.create("focal"));
        for (String name : Losses.names()) {
            assertEquals(name, Losses.create(name, Map.of()).name());
        }
    }

    @Test
    void defaultsAndOptions() {
        assertEquals(1.0, ((HuberLoss) Losses.create("huber")).delta());
        assertEquals(2.0, ((FocalLoss) Losses.create("focal", Map.of())).gamma());
        assertEquals(0.5, ((HuberLoss) Losses.create("huber", Map.of("delta", 0.5))).delta());
        assertEquals(0.0, ((FocalLoss) Losses.create("focal", Map.of("gamma", 0.0))).gamma());
        assertEquals(Map.of("delta", 0.5), Losses.create("huber", Map.of("delta", 0.5)).options());
        assertEquals(Map.of(), Losses.create("mse").options());
        assertEquals(0.0, ((CrossEntropyLoss) Losses.create("cross_entropy")).labelSmoothing());
        assertEquals(Map.of(), Losses.create("cross_entropy").options());
        assertEquals(Map.of("label_smoothing", 0.1),
                Losses.create("cross_entropy", Map.of("label_smoothing", 0.1)).options());
        assertEquals(Map.of(), Losses.create("cross_entropy", Map.of("label_smoothing", 0.0)).options());
    }

    @Test
    void toStringShowsNameAndOptions() {
        assertEquals("mse", Losses.create("mse").toString());
        assertEquals("cross_entropy", Losses.create("cross_entropy").toString());
        assertEquals("huber(delta=0.5)", Losses.create("huber", Map.of("delta", 0.5)).toString());
        assertEquals("focal(gamma=2.0)", Losses.create("focal").toString());
        assertEquals("cross_entropy(label_smoothing=0.1)",
                Losses.create("cross_entropy", Map.of("label_smoothing", 0.1)).toString());
    }

    @Test
    void labelSmoothingHasItsOptimumAtAFiniteLogitGap() {
        for (double eps : new double[] {0.05, 0.1, 0.3}) {
            for (int c : new int[] {2, 3, 10}) {
                Loss loss = Losses.create("cross_entropy", Map.of("label_smoothing", eps));
                double gap = Math.log((1 - eps + eps / c) / (eps / c));
                INDArray y = Nd4j.zeros(DataType.DOUBLE, 1, c);
                y.putScalar(0, 0, 1.0);
                INDArray z = Nd4j.zeros(DataType.DOUBLE, 1, c);
                z.putScalar(0, 0, gap);
                double gradient = loss.gradient(z, y).amaxNumber().doubleValue();
                assertTrue(gradient < 1e-15, eps + ", " + c + ": gradient " + gradient);
                // softmax(z) is the smoothed target there: the loss equals the smoothed target's entropy
                double on = 1 - eps + eps / c, off = eps / c;
                double entropy = -on * Math.log(on) - (c - 1) * off * Math.log(off);
                assertEquals(entropy, loss.value(z, y), 1e-12);
            }
        }
    }

    @Test
    void labelSmoothingIsAMixOfCrossEntropyAndTheMeanOverClasses() {
        Random random = new Random(11);
        INDArray z = Nd4j.rand(DataType.DOUBLE, 4, 5).muli(6).subi(3);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 4, 5);
        for (int i = 0; i < 4; i++) {
            y.putScalar(i, random.nextInt(5), 1.0);
        }
        double eps = 0.25;
        INDArray logP = z.subColumnVector(
                org.nd4j.linalg.ops.transforms.Transforms.log(
                        org.nd4j.linalg.ops.transforms.Transforms.exp(z, true).sum(true, 1), false));
        double plain = -logP.mul(y).sumNumber().doubleValue() / 4;
        double uniform = -logP.meanNumber().doubleValue();
        assertEquals(plain, Losses.create("cross_entropy").value(z, y), 1e-12);
        assertEquals((1 - eps) * plain + eps * uniform,
                Losses.create("cross_entropy", Map.of("label_smoothing", eps)).value(z, y), 1e-12);
    }

    @Test
    void focalWithGammaZeroIsCrossEntropy() {
        Random random = new Random(3);
        INDArray z = Nd4j.rand(DataType.DOUBLE, 6, 5).muli(6).subi(3);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 6, 5);
        for (int i = 0; i < 6; i++) {
            y.putScalar(i, random.nextInt(5), 1.0);
        }
        Loss focal = new FocalLoss(0.0);
        Loss crossEntropy = new CrossEntropyLoss();
        assertEquals(crossEntropy.value(z, y), focal.value(z, y), 1e-15);
        assertArrayEquals(crossEntropy.gradient(z, y).data().asDouble(), focal.gradient(z, y).data().asDouble(), 1e-15);
    }

    @Test
    void focalIsBelowCrossEntropyForGammaAboveZero() {
        // (1 - p_t)^gamma <= 1, so every row's term shrinks; most for confident rows (p_t near 1)
        INDArray z = Nd4j.createFromArray(new double[][] {{4.0, 0.0, 0.0}, {0.0, 0.5, 0.0}});
        INDArray y = Nd4j.createFromArray(new double[][] {{1.0, 0.0, 0.0}, {0.0, 1.0, 0.0}});
        double crossEntropy = new CrossEntropyLoss().value(z, y);
        double focal1 = new FocalLoss(1.0).value(z, y);
        double focal2 = new FocalLoss(2.0).value(z, y);
        assertTrue(focal2 < focal1 && focal1 < crossEntropy, focal2 + " < " + focal1 + " < " + crossEntropy);
    }

    @Test
    void focalAtProbabilityExactlyOneIsZeroNotNaN() {
        // logits [800, 0, 0]: log p_t = 800 - (800 + log(1 + 2 exp(-800))) = 0 exactly, so 1 - p_t = 0; the loss
        // is 0 and so is the gradient (the limit of log p_t / (1 - p_t) is -1). Naive autograd of the formula
        // gives NaN here (torch 1.13: 0 * inf in the backward of (1 - p_t)^0.5).
        INDArray z = Nd4j.createFromArray(new double[][] {{800.0, 0.0, 0.0}});
        INDArray y = Nd4j.createFromArray(new double[][] {{1.0, 0.0, 0.0}});
        for (double gamma : new double[] {0.0, 0.5, 2.0}) {
            assertEquals(0.0, new FocalLoss(gamma).value(z, y));
            for (double g : new FocalLoss(gamma).gradient(z, y).data().asDouble()) {
                assertTrue(g == 0.0, "gamma " + gamma + ": gradient " + g);
            }
        }
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        // row [1000, 0, -1000] target 0: logsumexp = 1000 + log(1 + e^-1000 + e^-2000) = 1000, loss 0
        // row [-1000, 1000, 0] target 0: loss = 1000 - (-1000) = 2000; mean = 1000
        INDArray z = Nd4j.createFromArray(new double[][] {{1000.0, 0.0, -1000.0}, {-1000.0, 1000.0, 0.0}});
        INDArray y = Nd4j.createFromArray(new double[][] {{1.0, 0.0, 0.0}, {1.0, 0.0, 0.0}});
        assertEquals(1000.0, new CrossEntropyLoss().value(z, y));
        // gradient (softmax - y) / 2: row 0 all 0; row 1 [-1/2, 1/2, 0]
        assertArrayEquals(new double[] {0, 0, 0, -0.5, 0.5, 0}, new CrossEntropyLoss().gradient(z, y).data().asDouble());
    }

    @Test
    void handComputedValues() {
        INDArray p = Nd4j.createFromArray(new double[] {0.0, 2.0, -1.0, 3.0});
        INDArray y = Nd4j.createFromArray(new double[] {1.0, 0.0, -1.0, 0.5});
        // residuals r = [-1, 2, 0, 2.5]
        // mse = (1 + 4 + 0 + 6.25) / 4 = 2.8125
        assertEquals(2.8125, new MseLoss().value(p, y), 1e-15);
        // mae = (1 + 2 + 0 + 2.5) / 4 = 1.375
        assertEquals(1.375, new MaeLoss().value(p, y), 1e-15);
        // huber delta 1: |r| >= 1 is linear: 1 * (1 - 0.5) = 0.5, (2 - 0.5) = 1.5, 0, (2.5 - 0.5) = 2; mean = 1.0
        assertEquals(1.0, new HuberLoss().value(p, y), 1e-15);
        // huber delta 3: all quadratic: 0.5 * [1, 4, 0, 6.25] = [0.5, 2, 0, 3.125]; mean = 5.625 / 4 = 1.40625
        assertEquals(1.40625, new HuberLoss(3.0).value(p, y), 1e-15);
        // mae gradient: sign(r) / 4 = [-0.25, 0.25, 0, 0.25]
        assertArrayEquals(new double[] {-0.25, 0.25, 0, 0.25}, new MaeLoss().gradient(p, y).data().asDouble());
        // hinge f = [2, -0.5], y = [1, 1]: max(0, 1 - 2) = 0, max(0, 1.5) = 1.5; mean 0.75; gradient [0, -1/2]
        INDArray f = Nd4j.createFromArray(new double[] {2.0, -0.5});
        INDArray s = Nd4j.createFromArray(new double[] {1.0, 1.0});
        assertEquals(0.75, new HingeLoss().value(f, s));
        assertArrayEquals(new double[] {0.0, -0.5}, new HingeLoss().gradient(f, s).data().asDouble());
        // bce p = [0.5], y = [1]: -log 0.5 = log 2; gradient (0.5 - 1) / (0.25) = -2
        assertEquals(Math.log(2), new BceLoss().value(Nd4j.createFromArray(0.5), Nd4j.createFromArray(1.0)), 1e-15);
        assertEquals(-2.0, new BceLoss().gradient(Nd4j.createFromArray(0.5), Nd4j.createFromArray(1.0)).getDouble(0));
    }

    @Test
    void gradientHasThePredictionsShapeAndFloatingType() {
        INDArray p = Nd4j.rand(DataType.FLOAT, 2, 3);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 3);
        INDArray g = new MseLoss().gradient(p, y);
        assertEquals(DataType.FLOAT, g.dataType());
        assertArrayEquals(new long[] {2, 3}, g.shape());
        assertEquals(DataType.DOUBLE, new MseLoss().gradient(p.castTo(DataType.DOUBLE), y).dataType());
        // integer targets are fine: they are read as doubles
        INDArray hot = Nd4j.createFromArray(new int[][] {{0, 1, 0}, {1, 0, 0}});
        assertEquals(new CrossEntropyLoss().value(p, hot.castTo(DataType.DOUBLE)), new CrossEntropyLoss().value(p, hot));
    }

    @Test
    void scalarsWork() {
        // rank 0: mse of 2 vs 0.5 is 1.5^2 = 2.25, gradient 2 * 1.5 = 3
        INDArray p = Nd4j.scalar(2.0);
        INDArray y = Nd4j.scalar(0.5);
        assertEquals(2.25, new MseLoss().value(p, y));
        INDArray g = new MseLoss().gradient(p, y);
        assertEquals(0, g.rank());
        assertEquals(3.0, g.getDouble(0));
        assertTrue(descent.check.GradientCheck.of(new MseLoss(), p, y).passes(1e-8));
    }

    @Test
    void viewsAreReadInLogicalOrder() {
        // a transposed view has a non-c-order layout; the result must match a fresh copy
        INDArray base = Nd4j.rand(DataType.DOUBLE, 3, 4);
        INDArray view = base.transpose();
        INDArray copy = view.dup('c');
        INDArray y = Nd4j.rand(DataType.DOUBLE, 4, 3);
        for (String name : List.of("mse", "mae", "huber")) {
            Loss loss = Losses.create(name);
            assertEquals(loss.value(copy, y), loss.value(view, y), 0.0);
            assertArrayEquals(loss.gradient(copy, y).data().asDouble(), loss.gradient(view, y).data().asDouble(), 0.0);
        }
        INDArray hot = Nd4j.createFromArray(new double[][] {{0, 1, 0}, {1, 0, 0}, {0, 0, 1}, {0, 1, 0}});
        assertArrayEquals(new CrossEntropyLoss().gradient(copy, hot).data().asDouble(),
                new CrossEntropyLoss().gradient(view, hot).data().asDouble(), 0.0);
    }
}
