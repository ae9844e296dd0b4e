package descent.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.nn.norm.BatchNorm;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link OneDnnBatchNorm} (oneDNN's batch normalization on NHWC arrays) computes what BatchNorm's plain array formula
 * computes in training mode, on any CPU (the test calls it directly): output, batch mean and biased variance, input
 * gradient and the gradients of gamma and beta, with gamma, beta and their gradients as views at an offset in flat
 * vectors (as a Sequential lays them out).
 */
class OneDnnBatchNormTest {

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 2e-5 * scale, what + ": max |difference| " + diff + " (scale " + scale + ")");
    }

    private static void check(long n, long h, long w, int c, double eps) {
        Nd4j.getRandom().setSeed(n * 31 + c);
        // channels with different means and spreads, mean far from 0 in some (conv outputs without bias)
        float[] spread = new float[c];
        float[] offset = new float[c];
        for (int i = 0; i < c; i++) {
            spread[i] = 0.5f + 2.5f * i / c;
            offset[i] = -4 + 10f * i / c;
        }
        INDArray x = Nd4j.randn(DataType.FLOAT, n, h, w, c).muli(Nd4j.createFromArray(spread))
                .addi(Nd4j.createFromArray(offset));
        INDArray gy = Nd4j.randn(DataType.FLOAT, n, h, w, c);
        INDArray flat = Nd4j.rand(DataType.FLOAT, 3 + 2 * c).addi(0.5);
        INDArray gamma = flat.get(NDArrayIndex.interval(3, 3 + c));
        INDArray beta = flat.get(NDArrayIndex.interval(3 + c, 3 + 2 * c));
        INDArray gflat = Nd4j.zeros(DataType.FLOAT, 5 + 2 * c);
        INDArray gGamma = gflat.get(NDArrayIndex.interval(5, 5 + c));
        INDArray gBeta = gflat.get(NDArrayIndex.interval(5 + c, 5 + 2 * c));
        assertTrue(gamma.offset() > 0 && gGamma.offset() > 0, "the test means views at an offset");
        INDArray y = Nd4j.create(DataType.FLOAT, n, h, w, c);
        INDArray gx = Nd4j.create(DataType.FLOAT, n, h, w, c);
        INDArray mean = Nd4j.create(DataType.FLOAT, 1, c);
        INDArray var = Nd4j.create(DataType.FLOAT, 1, c);
        OneDnnBatchNorm.forward(x, gamma, beta, eps, y, mean, var);
        OneDnnBatchNorm.backward(x, gamma, beta, mean, var, eps, gy, gx, gGamma, gBeta);

        BatchNorm plain = new BatchNorm(c).plain(true).eps(eps);
        plain.gamma(gamma.dup());
        plain.beta(beta.dup());
        String at = n + "x" + h + "x" + w + "x" + c;
        assertClose(plain.forward(x, true), y, at + " y");
        assertClose(plain.backward(gy), gx, at + " dx");
        assertClose(plain.gradGamma(), gGamma, at + " dgamma");
        assertClose(plain.gradBeta(), gBeta, at + " dbeta");
        assertClose(x.mean(0, 1, 2), mean.reshape(c), at + " mean");
        assertClose(x.var(false, 0, 1, 2), var.reshape(c), at + " biased variance");
        for (int i = 0; i < 5; i++) {
            assertEquals(0.0, gflat.getDouble(i), 0, "nothing written before the gradients' views");
        }
    }

    @Test
    void equalsThePlainFormulaInTrainingMode() {
        check(8, 5, 5, 16, 1e-5);
        check(3, 7, 4, 3, 1e-12);     // the speedrun's eps
        check(16, 3, 3, 40, 1e-3);
    }

    @Test
    void wrongShapesAreRejectedBeforeOneDnnTouchesMemory() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 3, 4);
        INDArray c4 = Nd4j.ones(DataType.FLOAT, 4);
        INDArray c5 = Nd4j.ones(DataType.FLOAT, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OneDnnBatchNorm.forward(x,
                c4, c4, 1e-5, Nd4j.create(DataType.FLOAT, 2, 3, 4, 4), c4.dup(), c4.dup()));
        assertTrue(e.getMessage().contains("y must be a dense FLOAT array of shape [2, 3, 3, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OneDnnBatchNorm.forward(x, c5, c4, 1e-5, x.dup(),
                c4.dup(), c4.dup()));
        assertTrue(e.getMessage().contains("with 4 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OneDnnBatchNorm.backward(x, c4, c4, c4, c4, 1e-5,
                x.dup(), Nd4j.create(DataType.FLOAT, 2, 3, 3, 5), c4.dup(), c4.dup()));
        assertTrue(e.getMessage().contains("gx must be"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OneDnnBatchNorm.forward(x.castTo(DataType.DOUBLE),
                c4, c4, 1e-5, x.dup(), c4.dup(), c4.dup()));
        assertTrue(e.getMessage().contains("FLOAT"), e.getMessage());
    }
}
