package descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.check.GradientCheck;
import descent.nn.norm.BatchNorm;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Residual (y = x + f(x)) and Scale (y = c x): gradients against central differences in DOUBLE, and by hand. */
class ResidualTest {

    @BeforeAll
    static void oneThread() {
        Backend.setThreads(1);
    }

    static final int[] LABELS = {0, 2, 1, 2};

    static INDArray gaussian(long seed, long... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = (int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return Nd4j.createFromArray(v).reshape(shape);
    }

    /** Worst relative error (absolute near 0) of the network's parameter gradient against central differences. */
    static double worstParamError(Sequential net, INDArray x) {
        net.reseed(99);
        INDArray out = net.forward(x, true);
        INDArray g = out.ulike();
        TestCe.compute(out, LABELS, g);
        net.backward(g);
        INDArray analytic = net.grads().dup();
        INDArray p = net.params();
        INDArray start = p.dup();
        INDArray numeric = GradientCheck.numericGradient(q -> {
            p.assign(q);
            net.reseed(99);
            double l = TestCe.compute(net.forward(x, true), LABELS, null);
            p.assign(start);
            return l;
        }, start, 1e-6);
        double worst = 0;
        for (long i = 0; i < p.length(); i++) {
            double a = analytic.getDouble(i);
            double n = numeric.getDouble(i);
            worst = Math.max(worst, Math.abs(n - a) / Math.max(1e-3, Math.abs(n) + Math.abs(a)));
        }
        return worst;
    }

    @Test
    void linearBlocksMatchCentralDifferences() {
        // Residual in the middle (input gradient through both paths reaches the first Linear) and first.
        Sequential middle = Sequential.input(5)
                .add(new Linear(5, 6))
                .add(new Residual(new Linear(6, 6), new ReLU(), new Linear(6, 6)))
                .add(new ReLU()).add(new Scale(-0.5)).add(new Linear(6, 3))
                .dataType(DataType.DOUBLE).seed(3).build();
        Sequential first = Sequential.input(5)
                .add(new Residual(new Linear(5, 5), new Tanh()))
                .add(new Residual(new Dropout(0.3), new Linear(5, 5)))
                .add(new Linear(5, 3))
                .dataType(DataType.DOUBLE).seed(4).build();
        INDArray x = gaussian(1, 4, 5);
        double e1 = worstParamError(middle, x);
        double e2 = worstParamError(first, x);
        assertTrue(e1 < 1e-6, "middle: worst relative error " + e1);
        assertTrue(e2 < 1e-6, "first: worst relative error " + e2);
    }

    @Test
    void inputGradientOnItsOwnMatchesCentralDifferences() {
        // On its own the block binds vectors of its own; dL/dx = dy + f'(x)^T dy for L = sum(r * y).
        Residual block = new Residual(new Linear(4, 4), new ReLU(), new Linear(4, 4));
        INDArray x = gaussian(2, 3, 4);
        INDArray r = gaussian(5, 3, 4);
        block.forward(x, true);
        INDArray gx = block.backward(r).dup();
        assertEquals(DataType.DOUBLE, block.layers().get(0).dataType(), "dtype reaches the inner layers");
        GradientCheck.Result res = GradientCheck.check(v -> block.forward(v, true).mul(r).sumNumber().doubleValue(),
                x, gx, 1e-6);
        assertTrue(res.passes(1e-7), res.toString());
    }

    @Test
    void convBatchNormBlockMatchesCentralDifferences() {
        Sequential net = Sequential.input(6, 6, 2)
                .add(new Conv2d(2, 4, 3, 1))
                .add(new Residual(new Conv2d(4, 4, 3, 1, false), new BatchNorm(4), new ReLU(),
                        new Conv2d(4, 4, 3, 1, false), new BatchNorm(4), new ReLU()))
                .add(new MaxPool2d(2)).add(new Flatten()).add(new Linear(36, 3))
                .dataType(DataType.DOUBLE).seed(7).build();
        Residual block = (Residual) net.layers().get(1);
        for (Layer l : block.layers()) {
            assertEquals(DataType.DOUBLE, l.dataType());
        }
        INDArray x = gaussian(3, 4, 6, 6, 2);
        double worst = worstParamError(net, x);
        assertTrue(worst < 1e-5, "worst relative error " + worst);
    }

    @Test
    void floatAgreesWithDouble() {
        Sequential[] nets = new Sequential[2];
        DataType[] types = {DataType.DOUBLE, DataType.FLOAT};
        for (int i = 0; i < 2; i++) {
            nets[i] = Sequential.input(6, 6, 4)
                    .add(new Residual(new Conv2d(4, 4, 3, 1, false), new BatchNorm(4), new ReLU()))
                    .add(new Residual(new Conv2d(4, 4, 3, 1, false), new BatchNorm(4), new ReLU()))
                    .add(new Flatten()).add(new Linear(144, 3)).add(new Scale(0.5))
                    .dataType(types[i]).seed(5).build();
            INDArray out = nets[i].forward(gaussian(3, 4, 6, 6, 4).castTo(types[i]), true);
            INDArray g = out.ulike();
            TestCe.compute(out, LABELS, g);
            nets[i].backward(g);
        }
        INDArray gd = nets[0].grads();
        INDArray gf = nets[1].grads().castTo(DataType.DOUBLE);
        double rel = gd.sub(gf).norm2Number().doubleValue() / gd.norm2Number().doubleValue();
        assertTrue(rel < 1e-5, "relative difference " + rel);
    }

    @Test
    void equalsXPlusFOfXByHand() {
        Linear a = new Linear(3, 3);
        Linear b = new Linear(3, 3);
        Sequential net = Sequential.input(3).add(new Residual(a, new ReLU(), b))
                .dataType(DataType.DOUBLE).seed(11).build();
        INDArray x = gaussian(8, 5, 3);
        INDArray xCopy = x.dup();
        INDArray h = org.nd4j.linalg.ops.transforms.Transforms.relu(x.mmul(a.weight().transpose())
                .addRowVector(a.bias()), true);
        INDArray expect = x.add(h.mmul(b.weight().transpose()).addRowVector(b.bias()));
        INDArray y = net.forward(x, true);
        assertEquals(0, y.sub(expect).amaxNumber().doubleValue(), 1e-14);
        assertEquals(xCopy, x, "the caller's input is not overwritten");

        // Backward: dx = dy + W_a^T (relu'(.) * (W_b^T dy)), through a Linear in front of the block.
        Linear front = new Linear(3, 3);
        Residual block = new Residual(new Linear(3, 3), new ReLU(), new Linear(3, 3));
        Sequential two = Sequential.input(3).add(front).add(block).dataType(DataType.DOUBLE).seed(2).build();
        Linear ia = (Linear) block.layers().get(0);
        Linear ib = (Linear) block.layers().get(2);
        INDArray u = two.forward(x, true).dup();
        INDArray z = x.mmul(front.weight().transpose()).addRowVector(front.bias());
        INDArray pre = z.mmul(ia.weight().transpose()).addRowVector(ia.bias());
        INDArray hh = org.nd4j.linalg.ops.transforms.Transforms.relu(pre, true);
        assertEquals(0, u.sub(z.add(hh.mmul(ib.weight().transpose()).addRowVector(ib.bias())))
                .amaxNumber().doubleValue(), 1e-14);
        INDArray gy = gaussian(9, 5, 3);
        two.backward(gy);
        INDArray mask = pre.gt(0).castTo(DataType.DOUBLE);
        INDArray gz = gy.add(gy.mmul(ib.weight()).mul(mask).mmul(ia.weight()));
        INDArray gwFront = gz.transpose().mmul(x);
        assertEquals(0, two.parameters().get(0).grad().sub(gwFront).amaxNumber().doubleValue(), 1e-13);
    }

    @Test
    void parametersBuffersNamesAndDescription() {
        Residual block = new Residual(new Conv2d(4, 4, 3, 1, false), new BatchNorm(4), new ReLU());
        Sequential net = Sequential.input(5, 5, 4).add(new Conv2d(4, 4, 1, 0)).add(block)
                .dataType(DataType.DOUBLE).seed(1).build();
        assertEquals(4 * 4 * 9 + 8, block.numParams());
        assertEquals(8, block.numBuffers());
        assertEquals(4 * 4 + 4 + 4 * 4 * 9 + 8, net.numParams());
        List<String> names = net.parameters().stream().map(Parameter::name).toList();
        assertEquals(List.of("0.weight", "0.bias", "1.0.weight", "1.1.weight", "1.1.bias"), names);
        assertEquals("Residual(Conv2d(4->4, 3x3, pad 1, no bias), BatchNorm(4), ReLU)", block.describe());
        // The inner parameters are views into the network's vector: the BatchNorm's gamma starts at offset 20 + 144.
        net.params().putScalar(20 + 144, 2.5);
        assertEquals(2.5, ((BatchNorm) block.layers().get(1)).gamma().getDouble(0));
        // The same seed gives the same parameters; another seed others.
        Sequential again = Sequential.input(5, 5, 4).add(new Conv2d(4, 4, 1, 0))
                .add(new Residual(new Conv2d(4, 4, 3, 1, false), new BatchNorm(4), new ReLU()))
                .dataType(DataType.DOUBLE).seed(1).build();
        net.initialize(1);
        assertEquals(again.params(), net.params());
    }

    @Test
    void shapeMismatchAndMisuseAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sequential.input(5).add(new Residual(new Linear(5, 3))).build());
        assertTrue(e.getMessage().contains("[5]") && e.getMessage().contains("[3]"), e.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> Sequential.input(8, 8, 3).add(new Residual(new Conv2d(3, 3, 3, 0))).build());
        assertTrue(c.getMessage().contains("[8, 8, 3]") && c.getMessage().contains("[6, 6, 3]"), c.getMessage());
        assertThrows(IllegalArgumentException.class, Residual::new);
        Linear l = new Linear(2, 2);
        assertThrows(IllegalArgumentException.class, () -> new Residual(l, new ReLU(), l));
        Sequential.input(2).add(l).build();
        assertThrows(IllegalArgumentException.class, () -> new Residual(l));
    }

    @Test
    void passThroughThenInPlaceReluDoesNotOverwriteX() {
        // Dropout in evaluation returns x itself; the ReLU after it must then not work in place.
        Supplier<Residual> make = () -> new Residual(new Dropout(0.5), new ReLU());
        INDArray x = gaussian(4, 3, 4);
        INDArray xCopy = x.dup();
        Sequential net = Sequential.input(4).add(make.get()).dataType(DataType.DOUBLE).build();
        INDArray y = net.forward(x, false);
        assertEquals(xCopy, x);
        assertEquals(0, y.sub(x.add(org.nd4j.linalg.ops.transforms.Transforms.relu(x, true)))
                .amaxNumber().doubleValue(), 0);
        Sequential after = Sequential.input(4).add(new Linear(4, 4)).add(make.get()).dataType(DataType.DOUBLE).build();
        INDArray h = after.layers().get(0).forward(x, false).dup();
        INDArray y2 = after.forward(x, false);
        assertEquals(0, y2.sub(h.add(org.nd4j.linalg.ops.transforms.Transforms.relu(h, true)))
                .amaxNumber().doubleValue(), 1e-14);
    }

    @Test
    void scaleMultipliesAndItsGradientMatches() {
        Scale s = new Scale(1.0 / 9);
        assertEquals("Scale(" + (1.0 / 9) + ")", s.describe());
        INDArray x = gaussian(6, 3, 4);
        INDArray r = gaussian(7, 3, 4);
        assertEquals(0, s.forward(x, true).sub(x.div(9)).amaxNumber().doubleValue(), 1e-15);
        INDArray gx = s.backward(r).dup();
        assertEquals(0, gx.sub(r.div(9)).amaxNumber().doubleValue(), 1e-15);
        GradientCheck.Result res = GradientCheck.check(v -> s.forward(v, true).mul(r).sumNumber().doubleValue(),
                x, gx);
        assertTrue(res.passes(1e-8), res.toString());
        assertThrows(IllegalArgumentException.class, () -> new Scale(Double.NaN));
        // In a network after the last Linear (airbench94's logit scaling).
        Linear last = new Linear(4, 3);
        Sequential net = Sequential.input(4).add(last).add(new Scale(1.0 / 9)).dataType(DataType.DOUBLE).build();
        INDArray logits = x.mmul(last.weight().transpose()).addRowVector(last.bias()).divi(9);
        assertEquals(0, net.forward(x, false).sub(logits).amaxNumber().doubleValue(), 1e-15);
        assertArrayEquals(new long[] {3}, net.outputShape());
    }
}
