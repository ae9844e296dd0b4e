package descent.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.check.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Sigmoid and Tanh: values against Math, backward passes against central differences. */
class SigmoidTanhTest {

    static Sequential net(Layer activation) {
        return Sequential.input(5).add(new Linear(5, 4)).add(activation).add(new Linear(4, 3))
                .dataType(DataType.DOUBLE).seed(8).build();
    }

    @Test
    void valuesMatchMath() {
        INDArray x = Nd4j.createFromArray(new double[][] {{-30, -2, 0, 0.5, 3}});
        INDArray s = new Sigmoid().forward(x, false);
        INDArray t = new Tanh().forward(x, false);
        for (int i = 0; i < 5; i++) {
            double v = x.getDouble(0, i);
            assertEquals(1 / (1 + Math.exp(-v)), s.getDouble(0, i), 1e-7);   // libnd4j computes these to ~1e-8 in double
            assertEquals(Math.tanh(v), t.getDouble(0, i), 1e-7);
        }
        assertEquals(-2.0, x.getDouble(0, 1), 0.0, "the input is left alone");
    }

    @Test
    void gradientsMatchCentralDifferences() {
        for (Layer activation : new Layer[] {new Sigmoid(), new Tanh()}) {
            Sequential n = net(activation);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 6, 5).subi(0.5).muli(4);
            INDArray r = Nd4j.rand(DataType.DOUBLE, 6, 3);
            n.forward(x, true);
            n.backward(r);
            INDArray analytic = n.grads().dup();
            INDArray p = n.params();
            INDArray start = p.dup();
            INDArray numeric = GradientCheck.numericGradient(q -> {
                p.assign(q);
                double f = n.forward(x, true).mul(r).sumNumber().doubleValue();
                p.assign(start);
                return f;
            }, start, 1e-6);
            double err = analytic.sub(numeric).amaxNumber().doubleValue() / numeric.amaxNumber().doubleValue();
            assertTrue(err < 1e-7, activation + ": relative error " + err);
        }
    }

    @Test
    void sigmoidSlopeIsAtMostAQuarter() {
        Sigmoid s = new Sigmoid();
        INDArray x = Nd4j.linspace(-6, 6, 101, DataType.DOUBLE).reshape(1, 101);
        s.forward(x, true);
        INDArray gx = s.backward(Nd4j.ones(DataType.DOUBLE, 1, 101));
        assertEquals(0.25, gx.maxNumber().doubleValue(), 1e-12);
    }
}
