package descent.nn;

import descent.nn.norm.BatchNorm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Loss and every gradient of two tiny CNNs against PyTorch 1.13 in float64 (tools/torch/cnn_oracle.py). Inputs
 * are converted from NCHW to NHWC, and the first linear layer's weight columns from PyTorch's (c, h, w) flatten
 * order to ours, (h, w, c) (see {@link Flatten}).
 */
class TorchOracleTest {

    @SuppressWarnings("unchecked")
    static Map<String, Object> oracle(String name) throws IOException {
        try (InputStream in = TorchOracleTest.class.getResourceAsStream("/descent/nn/cnn_oracle.json")) {
            return (Map<String, Object>) new ObjectMapper().readValue(in, Map.class).get(name);
        }
    }

    static double[] values(Object list) {
        @SuppressWarnings("unchecked")
        List<Number> l = (List<Number>) list;
        return l.stream().mapToDouble(Number::doubleValue).toArray();
    }

    @SuppressWarnings("unchecked")
    static double[] param(Map<String, Object> c, String name) {
        return values(((Map<String, Object>) ((Map<String, Object>) c.get("params")).get(name)).get("values"));
    }

    @SuppressWarnings("unchecked")
    static double[] grad(Map<String, Object> c, String name) {
        return values(((Map<String, Object>) c.get("grads")).get(name));
    }

    /** Column permutation: ours[o][(h*W + w)*C + ch] = torch[o][(ch*H + h)*W + w]. */
    static INDArray chwToHwc(double[] torch, int out, int ch, int h, int w) {
        INDArray t = Nd4j.createFromArray(torch).reshape(out, ch, h, w);
        return t.permute(0, 2, 3, 1).dup('c').reshape(out, (long) h * w * ch);
    }

    @SuppressWarnings("unchecked")
    static INDArray nhwc(Map<String, Object> c) {
        double[] x = values(c.get("input"));
        long[] s = ((List<Number>) c.get("input_shape")).stream().mapToLong(Number::longValue).toArray();
        return Nd4j.createFromArray(x).reshape(s).permute(0, 2, 3, 1).dup('c');
    }

    @SuppressWarnings("unchecked")
    static int[] labels(Map<String, Object> c) {
        return ((List<Number>) c.get("labels")).stream().mapToInt(Number::intValue).toArray();
    }

    static void assertClose(double[] expected, INDArray actual, double tol, String what) {
        double[] a = actual.dup('c').reshape(actual.length()).toDoubleVector();
        assertEquals(expected.length, a.length, what + " length");
        for (int i = 0; i < a.length; i++) {
            assertEquals(expected[i], a[i], tol * Math.max(1, Math.abs(expected[i])), what + "[" + i + "]");
        }
    }

    static double train(Sequential net, INDArray x, int[] y) {
        INDArray out = net.forward(x, true);
        INDArray g = out.ulike();
        double loss = TestCe.compute(out, y, g);
        net.backward(g);
        return loss;
    }

    @Test
    void plainCnnMatchesTorch() throws IOException {
        Map<String, Object> c = oracle("plain");
        // PyTorch's order: conv, ReLU, pool.
        Sequential net = Sequential.input(8, 8, 3)
                .add(new Conv2d(3, 4, 3, 1)).add(new ReLU()).add(new MaxPool2d(2))
                .add(new Conv2d(4, 6, 3, 1)).add(new ReLU()).add(new MaxPool2d(2))
                .add(new Flatten()).add(new Linear(24, 5)).add(new ReLU()).add(new Linear(5, 3))
                .dataType(DataType.DOUBLE).build();
        List<Layer> l = net.layers();
        Conv2d c1 = (Conv2d) l.get(0);
        Conv2d c2 = (Conv2d) l.get(3);
        Linear f1 = (Linear) l.get(7);
        Linear f2 = (Linear) l.get(9);
        c1.weight().assign(Nd4j.createFromArray(param(c, "0.weight")).reshape(4, 3, 3, 3));
        c1.bias().assign(Nd4j.createFromArray(param(c, "0.bias")));
        c2.weight().assign(Nd4j.createFromArray(param(c, "3.weight")).reshape(6, 4, 3, 3));
        c2.bias().assign(Nd4j.createFromArray(param(c, "3.bias")));
        f1.weight().assign(chwToHwc(param(c, "7.weight"), 5, 6, 2, 2));
        f1.bias().assign(Nd4j.createFromArray(param(c, "7.bias")));
        f2.weight().assign(Nd4j.createFromArray(param(c, "9.weight")).reshape(3, 5));
        f2.bias().assign(Nd4j.createFromArray(param(c, "9.bias")));

        double loss = train(net, nhwc(c), labels(c));
        assertEquals(((Number) c.get("loss")).doubleValue(), loss, 1e-12);
        // Gradients are views into net.grads(), laid out like the parameters.
        INDArray g = net.grads();
        long at = 0;
        at = check(g, at, grad(c, "0.weight"), "conv1.weight");
        at = check(g, at, grad(c, "0.bias"), "conv1.bias");
        at = check(g, at, grad(c, "3.weight"), "conv2.weight");
        at = check(g, at, grad(c, "3.bias"), "conv2.bias");
        double[] fw = chwToHwc(grad(c, "7.weight"), 5, 6, 2, 2).reshape(120).toDoubleVector();
        at = check(g, at, fw, "fc1.weight");
        at = check(g, at, grad(c, "7.bias"), "fc1.bias");
        at = check(g, at, grad(c, "9.weight"), "fc2.weight");
        at = check(g, at, grad(c, "9.bias"), "fc2.bias");
        assertEquals(net.numParams(), at);
        assertTrue(c1.lowered(), "the first conv went through im2col + gemm");
    }

    static long check(INDArray flat, long at, double[] expected, String what) {
        INDArray part = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(at, at + expected.length));
        assertClose(expected, part, 1e-10, what);
        return at + expected.length;
    }

    @Test
    void batchNormCnnMatchesTorchIncludingRunningStatistics() throws IOException {
        Map<String, Object> c = oracle("bn");
        Sequential net = Sequential.input(8, 8, 3)
                .add(new Conv2d(3, 4, 3, 1, false)).add(new BatchNorm(4)).add(new ReLU()).add(new MaxPool2d(2))
                .add(new Flatten()).add(new Linear(64, 3))
                .dataType(DataType.DOUBLE).build();
        Conv2d conv = (Conv2d) net.layers().get(0);
        BatchNorm bn = (BatchNorm) net.layers().get(1);
        Linear fc = (Linear) net.layers().get(5);
        conv.weight().assign(Nd4j.createFromArray(param(c, "0.weight")).reshape(4, 3, 3, 3));
        bn.gamma().assign(Nd4j.createFromArray(param(c, "1.weight")));
        bn.beta().assign(Nd4j.createFromArray(param(c, "1.bias")));
        fc.weight().assign(chwToHwc(param(c, "5.weight"), 3, 4, 4, 4));
        fc.bias().assign(Nd4j.createFromArray(param(c, "5.bias")));

        double loss = train(net, nhwc(c), labels(c));
        assertEquals(((Number) c.get("loss")).doubleValue(), loss, 1e-12);
        INDArray g = net.grads();
        long at = 0;
        at = check(g, at, grad(c, "0.weight"), "conv.weight");
        at = check(g, at, grad(c, "1.weight"), "bn.weight");
        at = check(g, at, grad(c, "1.bias"), "bn.bias");
        at = check(g, at, chwToHwc(grad(c, "5.weight"), 3, 4, 4, 4).reshape(192).toDoubleVector(), "fc.weight");
        at = check(g, at, grad(c, "5.bias"), "fc.bias");
        assertEquals(net.numParams(), at);
        @SuppressWarnings("unchecked")
        Map<String, Object> buffers = (Map<String, Object>) c.get("buffers");
        assertClose(values(buffers.get("1.running_mean")), bn.runningMean(), 1e-12, "running_mean");
        assertClose(values(buffers.get("1.running_var")), bn.runningVar(), 1e-12, "running_var");
    }
}
