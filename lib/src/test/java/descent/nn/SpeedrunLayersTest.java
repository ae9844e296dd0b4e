package descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The speedrun's layer pieces: patch whitening, identity init, pooling of odd sizes, FLOP counts. */
class SpeedrunLayersTest {

    /** Images with correlated channels and neighbouring pixels, as natural images have. */
    static INDArray correlatedImages(int n, int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n * size * size * 3];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < size; y++) {
                double row = r.nextGaussian();
                for (int x = 0; x < size; x++) {
                    double common = 0.7 * row + r.nextGaussian();
                    for (int c = 0; c < 3; c++) {
                        v[((i * size + y) * size + x) * 3 + c] = common * (1 + 0.3 * c) + 0.2 * r.nextGaussian();
                    }
                }
            }
        }
        return Nd4j.createFromArray(v).reshape(n, size, size, 3).castTo(DataType.FLOAT);
    }

    @Test
    void symmetricEigenReconstructsTheMatrix() {
        SplittableRandom r = new SplittableRandom(5);
        int d = 12;
        double[][] b = new double[d][d];
        for (double[] row : b) {
            for (int j = 0; j < d; j++) {
                row[j] = r.nextGaussian();
            }
        }
        double[][] a = new double[d][d];   // B B^T: symmetric, positive semi-definite
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    a[i][j] += b[i][k] * b[j][k];
                }
            }
        }
        double[][] vec = new double[d][d];
        double[] val = SymmetricEigen.decompose(a, vec);
        for (int i = 1; i < d; i++) {
            assertTrue(val[i - 1] >= val[i], "eigenvalues must come in decreasing order");
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double sum = 0;
                double dot = 0;
                for (int k = 0; k < d; k++) {
                    sum += val[k] * vec[k][i] * vec[k][j];
                    dot += vec[i][k] * vec[j][k];
                }
                assertEquals(a[i][j], sum, 1e-9 * (1 + Math.abs(a[i][j])), "A = V diag(lambda) V^T at " + i + "," + j);
                assertEquals(i == j ? 1.0 : 0.0, dot, 1e-9, "eigenvectors orthonormal at " + i + "," + j);
            }
        }
    }

    @Test
    void whitenedPatchesHaveUnitSecondMomentInTheirFirstHalf() {
        INDArray images = correlatedImages(40, 12, 1);
        Conv2d conv = new Conv2d(3, 24, 2, 0, false);
        Sequential.input(12, 12, 3).add(conv).dataType(DataType.FLOAT).seed(1).build();
        conv.whiten(images, 0);
        INDArray y = conv.forward(images, false).reshape(-1, 24).castTo(DataType.DOUBLE);
        INDArray moment = y.transpose().mmul(y).divi(y.size(0));      // second moment of the 24 outputs
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < 12; j++) {
                assertEquals(i == j ? 1.0 : 0.0, moment.getDouble(i, j), 2e-3, "E[y_i y_j] at " + i + "," + j);
            }
            // the second half is the first with the opposite sign
            assertEquals(-1.0, moment.getDouble(i, i + 12), 2e-3);
        }
    }

    @Test
    void whitenRefusesWrongWidthsAndUnboundLayers() {
        INDArray images = correlatedImages(2, 8, 1);
        Conv2d unbound = new Conv2d(3, 24, 2, 0, true);
        assertThrows(IllegalStateException.class, () -> unbound.whiten(images, 5e-4));
        Conv2d narrow = new Conv2d(3, 16, 2, 0, true);
        Sequential.input(8, 8, 3).add(narrow).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> narrow.whiten(images, 5e-4));
        assertTrue(e.getMessage().contains("out = 2 * in * k * k = 24"), e.getMessage());
        Conv2d ok = new Conv2d(3, 24, 2, 0, true);
        Sequential.input(8, 8, 3).add(ok).build();
        assertThrows(IllegalArgumentException.class, () -> ok.whiten(images.get(
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)), 5e-4));
        assertThrows(IllegalArgumentException.class, () -> ok.whiten(images, Double.NaN));
    }

    @Test
    void identityInitCopiesTheFirstChannels() {
        Conv2d conv = new Conv2d(4, 6, 3, 1, false).identityInit(true);
        Sequential.input(5, 5, 4).add(conv).dataType(DataType.DOUBLE).seed(2).build();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 5, 5, 4);
        INDArray y = conv.forward(x, false);
        for (int c = 0; c < 4; c++) {
            assertEquals(0.0, y.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c))
                    .sub(x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c)))
                    .norm1Number().doubleValue(), 1e-12, "output channel " + c + " copies input channel " + c);
        }
        // filters 4 and 5 keep torch's default init (non-zero)
        assertTrue(conv.weight().get(org.nd4j.linalg.indexing.NDArrayIndex.point(5)).norm1Number().doubleValue() > 0);
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 3, 2, 0).identityInit(true));
    }

    @Test
    void maxPoolDropsTheLastRowOfAnOddSizeAsTorch() {
        MaxPool2d pool = new MaxPool2d(2);
        Sequential net = Sequential.input(5, 5, 1).add(pool).dataType(DataType.DOUBLE).build();
        assertArrayEquals(new long[] {2, 2, 1}, net.outputShape());
        double[] v = new double[25];
        for (int i = 0; i < 25; i++) {
            v[i] = i;   // row-major 5x5: the maximum of each 2x2 window is its bottom-right corner
        }
        INDArray x = Nd4j.createFromArray(v).reshape(1, 5, 5, 1);
        INDArray y = pool.forward(x, true);
        assertEquals(6.0, y.getDouble(0, 0, 0, 0));
        assertEquals(18.0, y.getDouble(0, 1, 1, 0));
        INDArray gx = pool.backward(Nd4j.ones(DataType.DOUBLE, 1, 2, 2, 1));
        assertEquals(4.0, gx.sumNumber().doubleValue(), 0.0);
        assertEquals(0.0, gx.getDouble(0, 4, 4, 0), "the dropped last row and column get no gradient");
        assertThrows(IllegalArgumentException.class, () -> Sequential.input(1, 1, 1).add(new MaxPool2d(2)).build());
    }

    @Test
    void fastNetworkFlopsAndParameters() {
        Sequential fast = CifarNets.fast(CifarNets.FAST_WIDTHS, true, DataType.FLOAT, 1);
        // multiply-adds by hand: conv(c_in -> c_out, k, output h x w) = c_out c_in k^2 h w, counted twice, + biases
        long expected = 31L * 31 * 24 * (2 * 3 * 4 + 1)
                + 2L * 64 * 24 * 9 * 31 * 31 + 2L * 64 * 64 * 9 * 15 * 15
                + 2L * 256 * 64 * 9 * 15 * 15 + 2L * 256 * 256 * 9 * 7 * 7
                + 2L * 256 * 256 * 9 * 7 * 7 + 2L * 256 * 256 * 9 * 3 * 3
                + 2L * 256 * 10 + 10;
        assertEquals(expected, fast.forwardFlops());
        assertArrayEquals(new long[] {10}, fast.outputShape());
        long params = 3 * 4 * 24 + 24 + 24 * 64 * 9 + 128 + 64 * 64 * 9 + 128 + 64 * 256 * 9 + 512
                + 3 * (256 * 256 * 9 + 512) + 256 * 10 + 10;
        assertEquals(params, fast.numParams());
    }
}
