package descent.nn;

import descent.check.GradientCheck;

import descent.nn.norm.BatchNorm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Hand-written backward passes against central finite differences, in double precision. */
class GradientCheckTest {

    @BeforeAll
    static void oneThread() {
        Backend.setThreads(1);   // tiny ops: extra threads only add waiting
    }

    static final int B = 4;
    static final int[] LABELS = {0, 2, 1, 2};

    /** Every layer type, tiny: conv (lowered), pool, relu, conv (libnd4j), BN, pool, relu, dropout, linear x2. */
    static Sequential tiny(DataType type, long seed) {
        return Sequential.input(8, 8, 2)
                .add(new Conv2d(2, 3, 3, 1)).add(new MaxPool2d(2)).add(new ReLU())
                .add(new Conv2d(3, 4, 3, 1, false)).add(new BatchNorm(4)).add(new MaxPool2d(2)).add(new ReLU())
                .add(new Flatten()).add(new Dropout(0.3))
                .add(new Linear(16, 5)).add(new ReLU()).add(new Linear(5, 3))
                .dataType(type).seed(seed).build();
    }

    static INDArray input(DataType type) {
        SplittableRandom r = new SplittableRandom(3);
        double[] v = new double[B * 8 * 8 * 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Nd4j.createFromArray(v).reshape(B, 8, 8, 2).castTo(type);
    }

    static double loss(Sequential net, INDArray x) {
        net.reseed(99);   // the same dropout mask for every evaluation
        return TestCe.compute(net.forward(x, true), LABELS, null);
    }

    @Test
    void everyParameterMatchesCentralDifferences() {
        Sequential net = tiny(DataType.DOUBLE, 5);
        INDArray x = input(DataType.DOUBLE);
        net.reseed(99);
        INDArray out = net.forward(x, true);
        INDArray g = out.ulike();
        TestCe.compute(out, LABELS, g);
        net.backward(g);
        INDArray analytic = net.grads().dup();
        assertTrue(((Conv2d) net.layers().get(0)).lowered(), "first conv uses im2col + gemm");
        assertFalse(((Conv2d) net.layers().get(3)).lowered(), "second conv uses libnd4j conv2d_bp");

        INDArray p = net.params();
        INDArray start = p.dup();
        INDArray numeric = GradientCheck.numericGradient(q -> {     // the library's central differences
            p.assign(q);
            double l = loss(net, x);
            p.assign(start);
            return l;
        }, start, 1e-6);
        double worst = 0;
        for (long i = 0; i < p.length(); i++) {
            double a = analytic.getDouble(i);
            double n = numeric.getDouble(i);
            double err = Math.abs(n - a) / Math.max(1e-3, Math.abs(n) + Math.abs(a));   // absolute near 0
            worst = Math.max(worst, err);
            assertTrue(err < 1e-5, "param " + i + ": analytic " + a + " numeric " + n);
        }
        System.out.println("gradient check: " + p.length() + " params, worst relative error " + worst);
    }

    @Test
    void aReluAfterTanhOrSigmoidMatchesCentralDifferences() {
        // the ReLU works in place on the output Tanh and Sigmoid read in their backward pass (also through a Flatten):
        // it changes only entries whose gradient it sets to 0, so their backward is still exact
        for (Layer squash : new Layer[] {new Tanh(), new Sigmoid()}) {
            Sequential net = Sequential.input(2, 2, 3).add(new Flatten()).add(new Linear(12, 6)).add(squash)
                    .add(new Flatten()).add(new ReLU()).add(new Linear(6, 3)).dataType(DataType.DOUBLE).seed(4).build();
            INDArray x3 = input(DataType.DOUBLE).reshape(B, 128).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 12))
                    .dup().reshape(B, 2, 2, 3);
            double worst = ResidualTest.worstParamError(net, x3);   // relative error against central differences
            assertTrue(worst < 1e-5, squash.describe() + " then ReLU: gradient off by " + worst);
        }
    }

    @Test
    void aReluBehindAPassThroughLayerLeavesTheCallersInputAlone() {
        Sequential net = Sequential.input(2, 2, 1).add(new Flatten()).add(new ReLU()).add(new Linear(4, 2))
                .dataType(DataType.DOUBLE).seed(1).build();
        INDArray x = Nd4j.createFromArray(-1.0, 2.0, -3.0, 4.0).reshape(1, 2, 2, 1);
        INDArray before = x.dup();
        net.forward(x, true);
        assertEquals(before, x, "the caller's input was overwritten");
    }

    @Test
    void floatOneDnnPathAgreesWithDoublePath() {
        Sequential d = tiny(DataType.DOUBLE, 5);
        Sequential f = tiny(DataType.FLOAT, 5);
        f.params().assign(d.params());
        INDArray xd = input(DataType.DOUBLE);
        for (Sequential net : new Sequential[] {d, f}) {
            net.reseed(99);
            INDArray out = net.forward(net == d ? xd : xd.castTo(DataType.FLOAT), true);
            INDArray g = out.ulike();
            TestCe.compute(out, LABELS, g);
            net.backward(g);
        }
        INDArray gd = d.grads();
        INDArray gf = f.grads().castTo(DataType.DOUBLE);
        double scale = gd.norm2Number().doubleValue();
        double diff = gd.sub(gf).norm2Number().doubleValue();
        assertTrue(diff / scale < 1e-5, "relative difference " + diff / scale);
    }

    @Test
    void poolThenReluEqualsReluThenPool() {
        Sequential a = Sequential.input(8, 8, 3)
                .add(new Conv2d(3, 4, 3, 1)).add(new ReLU()).add(new MaxPool2d(2))
                .add(new Flatten()).add(new Linear(64, 3)).dataType(DataType.DOUBLE).seed(1).build();
        Sequential b = Sequential.input(8, 8, 3)
                .add(new Conv2d(3, 4, 3, 1)).add(new MaxPool2d(2)).add(new ReLU())
                .add(new Flatten()).add(new Linear(64, 3)).dataType(DataType.DOUBLE).seed(1).build();
        assertEquals(a.params(), b.params());
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 8, 8, 3).subi(0.5);
        INDArray oa = a.forward(x, true);
        INDArray ob = b.forward(x, true);
        assertEquals(0, oa.sub(ob).amaxNumber().doubleValue(), 1e-14);
        INDArray g = oa.ulike();
        TestCe.compute(oa, LABELS, g);
        a.backward(g);
        b.backward(g);
        assertEquals(0, a.grads().sub(b.grads()).amaxNumber().doubleValue(), 1e-14);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void loweredAndLibnd4jConvolutionsAgree(DataType type) {
        // The first layer's im2col + gemm against libnd4j's conv2d (oneDNN in FLOAT).
        INDArray x = Nd4j.rand(type, 2, 5, 5, 3).subi(0.5);
        Conv2d first = new Conv2d(3, 4, 3, 1);
        Sequential net = Sequential.input(5, 5, 3).add(first).dataType(type).seed(2).build();
        INDArray y1 = net.forward(x, true).dup();
        assertTrue(first.lowered());
        INDArray y2 = Nd4j.create(type, 2, 5, 5, 4);
        Ops.conv2d(x, first.weight(), first.bias(), y2, 3, 1);
        assertEquals(0, y1.sub(y2).amaxNumber().doubleValue(), type == DataType.DOUBLE ? 1e-12 : 1e-5);
        // And by hand at one position: y[1, 0, 4, 2] = b[2] + sum_{c,u,v} w[2,c,u,v] x[1, u-1, 3+v, c]
        double expect = first.bias().getDouble(2);
        for (int c = 0; c < 3; c++) {
            for (int u = 0; u < 3; u++) {
                for (int v = 0; v < 3; v++) {
                    int yy = u - 1;
                    int xx = 3 + v;
                    if (yy >= 0 && yy < 5 && xx < 5) {
                        expect += first.weight().getDouble(2, c, u, v) * x.getDouble(1, yy, xx, c);
                    }
                }
            }
        }
        assertEquals(expect, y1.getDouble(1, 0, 4, 2), type == DataType.DOUBLE ? 1e-12 : 1e-5);
        assertEquals(0, y1.sub(y2).amaxNumber().doubleValue(), type == DataType.DOUBLE ? 1e-12 : 1e-5);
        assertNull(first.backward(y1), "no input gradient for the first layer");
    }

    @Test
    void badShapesAreExplained() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sequential.input(32, 32, 3)
                .add(new Conv2d(1, 4, 3, 1)).build());
        assertTrue(e.getMessage().contains("[32, 32, 3]"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> Sequential.input(8, 8, 3)
                .add(new Linear(192, 2)).build());
        assertTrue(e2.getMessage().contains("Flatten"), e2.getMessage());
        Sequential net = Sequential.input(4).add(new Linear(4, 2)).dataType(DataType.DOUBLE).build();
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> net.forward(Nd4j.create(DataType.DOUBLE, 3, 5), false));
        assertTrue(e3.getMessage().contains("[3, 5]"), e3.getMessage());
        assertThrows(IllegalArgumentException.class, () -> net.forward(Nd4j.create(DataType.FLOAT, 3, 4), false));
        Linear shared = new Linear(4, 2);
        Sequential.input(4).add(shared).build();
        IllegalArgumentException e4 = assertThrows(IllegalArgumentException.class,
                () -> Sequential.input(4).add(shared).build());
        assertTrue(e4.getMessage().contains("already belongs"), e4.getMessage());
    }

    @Test
    void seedNetworkHasTheSpecifiedShapeAndParameterCount() {
        Sequential net = CifarNets.seed(DataType.FLOAT, 1);
        // conv1 32*3*9+32 = 896, conv2 64*32*9+64 = 18496, fc1 128*4096+128 = 524416, fc2 10*128+10 = 1290
        assertEquals(896 + 18496 + 524416 + 1290, net.numParams());
        assertEquals(10, net.outputShape()[0]);
        // PyTorch's default init bound for fc1 is 1/sqrt(4096) = 1/64.
        Linear fc1 = (Linear) net.layers().get(7);
        double max = fc1.weight().amaxNumber().doubleValue();
        assertTrue(max <= 1.0 / 64 && max > 0.99 / 64, "max |w| " + max);
    }
}
